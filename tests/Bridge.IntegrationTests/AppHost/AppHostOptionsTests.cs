using Bridge.AppHost;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>The AppHost's command line (docs/apphost.md), parsed without starting anything.</summary>
public sealed class AppHostOptionsTests
{
    [Fact]
    public void No_arguments_run_every_service_on_the_default_ports_with_a_broker_search()
    {
        var parsed = AppHostOptions.Parse([]);

        parsed.Error.ShouldBeNull();
        parsed.Options.Without.ShouldBeEmpty();
        parsed.Options.PortOffset.ShouldBe(0);
        parsed.Options.NoBroker.ShouldBeFalse();
        parsed.Options.Teacher.ShouldBeNull();
    }

    [Theory]
    [InlineData("middleware", "middleware")]
    [InlineData("Cerebrum.Api", "cerebrum")]
    [InlineData("llm-server", "llmserver")]
    public void Without_accepts_a_service_by_its_resource_or_project_name(string given, string expected)
    {
        var parsed = AppHostOptions.Parse(["--without", given]);

        parsed.Error.ShouldBeNull();
        parsed.Options.Without.ShouldBe([expected]);
    }

    [Fact]
    public void Options_take_their_value_after_an_equals_sign_too()
    {
        var parsed = AppHostOptions.Parse(["--port-offset=100", "--teacher=ollama,embedded", "--without=middleware", "--no-broker"]);

        parsed.Error.ShouldBeNull();
        parsed.Options.PortOffset.ShouldBe(100);
        parsed.Options.Teacher.ShouldBe("ollama,embedded");
        parsed.Options.Without.ShouldBe(["middleware"]);
        parsed.Options.NoBroker.ShouldBeTrue();
    }

    [Theory]
    [InlineData(new[] { "--without", "database" }, "unknown service 'database'")]
    [InlineData(new[] { "--without" }, "--without needs a service name")]
    [InlineData(new[] { "--teacher", "ollama,gpt5" }, "unknown provider 'gpt5'")]
    [InlineData(new[] { "--port-offset", "-1" }, "--port-offset needs a whole number")]
    [InlineData(new[] { "--port-offset", "60000" }, "--port-offset needs a whole number")]
    [InlineData(new[] { "--port-offset", "ten" }, "--port-offset needs a whole number")]
    [InlineData(new[] { "--startup-timeout", "0" }, "--startup-timeout needs")]
    [InlineData(new[] { "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "--without", "cerebrum", "--without", "llmserver", "--without", "middleware" }, "nothing would run")]
    public void A_bad_command_line_is_refused_with_a_message_naming_the_problem(string[] args, string expected)
    {
        var parsed = AppHostOptions.Parse(args);

        parsed.Error.ShouldNotBeNull();
        parsed.Error.ShouldContain(expected);
    }
}
