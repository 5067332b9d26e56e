using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Middleware.Routing;
using Middleware.Sessions;
using Middleware.Teachers;

namespace Middleware.Tests.Routing;

/// <summary>
/// A session of the real router (<see cref="RoutedTeacherClient"/>, <see cref="TeacherRouter"/>, the SQLite teacher
/// record) driven exchange by exchange without HTTP, timers or threads: the teachers are functions of the exchange, the
/// loop retries an exchange the way the session loop does (the next attempt is routed again), and each exchange's
/// review arrives <see cref="ReviewLag"/> exchanges later. The draws are seeded by the session id, so a run is
/// reproducible to the turn.
/// </summary>
public sealed class RouterSimulation : IDisposable
{
    public const string Good = "ollama/good:1b";
    public const string Bad = "ollama/bad:1b";

    private readonly MiddlewareFiles _files = new();
    private readonly TeacherRecordStore _store;
    private readonly SessionPlans _plans;
    private readonly RoutedTeacherClient _client;
    private readonly IOptions<RoutingOptions> _options;
    private readonly FakeTeachers _teachers = new();
    private readonly Queue<(int Sequence, string Teacher)> _unreviewed = new();

    public RouterSimulation(RoutingOptions? options = null)
    {
        _options = Options.Create(options ?? new RoutingOptions());
        _store = new TeacherRecordStore(Options.Create(new MiddlewareOptions { DatabasePath = _files.DatabasePath }));
        _plans = new SessionPlans(_store, _options);
        _client = new RoutedTeacherClient(_teachers, new TeacherRouter(_plans, _store, _options), _store, _options, TimeProvider.System,
            NullLogger<RoutedTeacherClient>.Instance);
    }

    public Guid SessionId { get; } = new("6f9d3a52-0d1e-4c53-9d7e-2a3b4c5d6e7f");

    public int ReviewLag { get; init; } = 2;

    /// <summary>Exchanges whose attempts to the good teacher all fail, as if its server had gone away.</summary>
    public Func<int, bool> GoodDown { get; init; } = _ => false;

    /// <summary>Which attempts of the bad teacher fail: the n-th request it gets, counted from 1.</summary>
    public Func<int, bool> BadFails { get; init; } = n => n % 10 is 3 or 6 or 9;

    /// <summary>Teacher-turn and learner-reply review scores of an answered turn.</summary>
    public Func<string, (double Teacher, double Learner)> Scores { get; init; } =
        teacher => teacher == Good ? (0.9, 0.7) : (0.3, 0.6);

    /// <summary>Runs <paramref name="exchanges"/> exchanges of two topics switching every 10; returns who answered each.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(int exchanges, CancellationToken cancellationToken = default)
    {
        var config = new SessionConfig(exchanges, 0, ["food and cooking", "the weather"], 10, [Good, Bad], RoutingStrategies.Learned);
        await _plans.RegisterAsync(SessionId, config, cancellationToken);
        _teachers.Simulation = this;
        var answered = new List<string>();
        for (var sequence = 1; sequence <= exchanges; sequence++)
        {
            _teachers.Sequence = sequence;
            var turn = await AnswerAsync(new TeacherTurnRequest(SessionId, sequence, config.TopicFor(sequence), string.Empty, []), cancellationToken);
            var teacher = $"{turn.Provider}/{turn.Model}";
            answered.Add(teacher);
            _unreviewed.Enqueue((sequence, teacher));
            while (_unreviewed.TryPeek(out var pending) && pending.Sequence <= sequence - ReviewLag)
            {
                await ReviewAsync(_unreviewed.Dequeue(), cancellationToken);
            }
        }

        return answered;
    }

    public Task<IReadOnlyList<TeacherTurnRecord>> AttemptsAsync(CancellationToken cancellationToken = default) => _store.ListAsync(SessionId, cancellationToken);

    public void Dispose() => _files.Dispose();

    /// <summary>The session loop's retry, bounded: every attempt is routed again, with this exchange's failures left out.</summary>
    private async Task<TeacherTurn> AnswerAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _client.GenerateTurnAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TeacherUnavailableException && attempt < 20)
            {
            }
        }
    }

    private async Task ReviewAsync((int Sequence, string Teacher) exchange, CancellationToken cancellationToken)
    {
        var answer = (await _store.AttemptsAsync(SessionId, exchange.Sequence, cancellationToken)).Last(a => a.IsAnswer);
        var (teacher, learner) = Scores(exchange.Teacher);
        await _store.SetRewardAsync(answer.Id, teacher, learner, TeacherReward.Of(teacher, learner, answer.LatencyMs, _options.Value), cancellationToken);
    }

    private sealed class FakeTeachers : ITeacherClient
    {
        private int _badRequests;

        public RouterSimulation Simulation { get; set; } = null!;

        public int Sequence { get; set; }

        public Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
        {
            var teacher = $"{request.Provider}/{request.Model}";
            var fails = teacher == Good ? Simulation.GoodDown(Sequence) : Simulation.BadFails(++_badRequests);
            return fails
                ? Task.FromException<TeacherTurn>(new HttpRequestException($"{teacher}: llama runner process has terminated", null, System.Net.HttpStatusCode.InternalServerError))
                : Task.FromResult(new TeacherTurn($"turn {Sequence} by {teacher}", request.Model!, request.Provider!, 1));
        }
    }
}
