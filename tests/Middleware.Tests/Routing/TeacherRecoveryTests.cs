using Xunit.Abstractions;
using Middleware.Routing;

namespace Middleware.Tests.Routing;

/// <summary>
/// The router after an outage, replayed deterministically (<see cref="RouterSimulation"/>: the real router and teacher
/// record, seeded draws): the outage is an availability signal that ends when the teacher answers again, not a run of
/// bad rewards the teacher must earn back turn by turn.
/// </summary>
public sealed class TeacherRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_good_teacher_back_from_an_outage_wins_its_share_back_within_a_probe_interval()
    {
        using var simulation = new RouterSimulation { GoodDown = sequence => sequence is >= 41 and <= 70 };
        var answered = await simulation.RunAsync(150);
        var trace = Trace(answered);
        output.WriteLine(trace);

        answered.Skip(40).Take(30).ShouldAllBe(t => t == RouterSimulation.Bad, $"the session goes on with the other teacher: {trace}");
        var back = answered.Skip(70).ToList().IndexOf(RouterSimulation.Good) + 71;
        back.ShouldBeInRange(71, 70 + new RoutingOptions().ProbeMaxInterval + 1, $"the first exchange the good teacher answers after its return: {trace}");
        var share = answered.Skip(back).Take(30).Count(t => t == RouterSimulation.Good) / 30.0;
        share.ShouldBeGreaterThanOrEqualTo(0.8, $"the good teacher's share of the 30 exchanges after it answered again: {trace}");
        answered.TakeLast(60).Count(t => t == RouterSimulation.Good).ShouldBeGreaterThanOrEqualTo(48, trace);
    }

    [Fact]
    public async Task A_teacher_that_is_down_is_probed_on_a_bounded_schedule_and_not_asked_every_exchange()
    {
        using var simulation = new RouterSimulation { GoodDown = sequence => sequence > 20 };
        await simulation.RunAsync(120);
        var options = new RoutingOptions();

        var goodAttempts = (await simulation.AttemptsAsync()).Where(a => a.Teacher == RouterSimulation.Good && a.Sequence > 20).ToList();
        var probes = goodAttempts.Select(a => a.Sequence).Distinct().ToList();
        var gaps = probes.Zip(probes.Skip(1), (a, b) => b - a).ToList();
        var trace = string.Join(' ', goodAttempts.Select(a => $"{a.Sequence}:{a.Decision.Reason}"));
        output.WriteLine(trace);
        goodAttempts.Count.ShouldBeLessThan(40, $"a down teacher is asked on a schedule, not on every exchange: {trace}");
        probes.Count.ShouldBeGreaterThanOrEqualTo(100 / options.ProbeMaxInterval, trace);
        gaps.ShouldAllBe(gap => gap <= options.ProbeMaxInterval + 1, $"no gap between probes exceeds the schedule's bound: {trace}");
    }

    [Fact]
    public async Task A_flaky_teacher_still_pays_for_its_failures()
    {
        // Same quality, but the second fails 3 attempts in 10 without ever being down for long: flakiness counts against it.
        using var simulation = new RouterSimulation { Scores = _ => (0.8, 0.7) };
        var answered = await simulation.RunAsync(150);
        output.WriteLine(Trace(answered));

        answered.TakeLast(100).Count(t => t == RouterSimulation.Good).ShouldBeGreaterThanOrEqualTo(65, Trace(answered));
    }

    private static string Trace(IEnumerable<string> answered) => string.Join(string.Empty, answered.Select(t => t == RouterSimulation.Good ? 'G' : 'b'));
}
