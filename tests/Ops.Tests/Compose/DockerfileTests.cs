using System.Text.RegularExpressions;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Compose;

public sealed class DockerfileTests
{
    private static readonly string[] ServiceProjects = ["Cerebrum.Api", "LlmServer", "Middleware"];

    public static readonly TheoryData<string> Projects = new(ServiceProjects);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_Dockerfile_builds_with_the_sdk_and_runs_on_the_aspnet_runtime(string project)
    {
        var stages = Lines(project).Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        stages.Count.ShouldBeGreaterThanOrEqualTo(2, "multi-stage: a build stage and a runtime stage");
        stages[0].ShouldStartWith("FROM mcr.microsoft.com/dotnet/sdk:10.0");
        stages[^1].ShouldStartWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0");
        Lines(project).ShouldContain(l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal), "the runtime stage takes only the published output");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_Dockerfile_runs_as_the_non_root_app_user(string project)
    {
        var lines = Lines(project);
        var runtimeStage = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var user = lines.FindLastIndex(l => l.StartsWith("USER ", StringComparison.Ordinal));

        user.ShouldBeGreaterThan(runtimeStage, "USER must be set in the runtime stage");
        lines[user].ShouldBe("USER $APP_UID");
        lines.Skip(user + 1).ShouldNotContain(l => l.StartsWith("USER ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_Dockerfile_copies_and_publishes_its_own_project(string project)
    {
        var text = SolutionLayout.Current.ReadText("src", project, "Dockerfile");

        File.Exists(SolutionLayout.Current.PathOf("src", project, project + ".csproj")).ShouldBeTrue();
        text.ShouldContain($"COPY src/{project}/ src/{project}/");
        text.ShouldContain($"dotnet publish src/{project}/{project}.csproj");
        text.ShouldContain($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]");
        foreach (var other in ServiceProjects.Where(p => p != project))
        {
            text.ShouldNotContain($"src/{other}/", customMessage: $"{project}'s image must not contain {other}");
        }
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_image_listens_and_checks_health_on_the_services_default_port(string project)
    {
        var text = SolutionLayout.Current.ReadText("src", project, "Dockerfile");
        var port = new ServiceSource(project).DefaultPort();

        text.ShouldContain($"ASPNETCORE_URLS=http://+:{port}");
        text.ShouldContain($"EXPOSE {port}");
        Regex.IsMatch(text, $@"HEALTHCHECK [^\n]*\\\n\s*CMD wget -qO- http://localhost:{port}/health").ShouldBeTrue("HEALTHCHECK must probe /health with the image's wget");
        // wget comes from BusyBox in the Alpine runtime; the Ubuntu and chiseled aspnet images have neither wget nor curl.
        Lines(project).Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ShouldContain("-alpine");
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_and_local_data()
    {
        var ignored = File.ReadAllLines(SolutionLayout.Current.PathOf(".dockerignore"));

        ignored.ShouldContain("**/bin/");
        ignored.ShouldContain("**/obj/");
        ignored.ShouldContain("**/*.db");
        ignored.ShouldContain("**/training_logs/");
    }

    private static List<string> Lines(string project) =>
        File.ReadAllLines(SolutionLayout.Current.PathOf("src", project, "Dockerfile")).Select(l => l.Trim()).ToList();
}
