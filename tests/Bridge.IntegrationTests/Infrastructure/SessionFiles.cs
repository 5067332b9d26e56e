using System.Text.Json;

namespace Bridge.IntegrationTests.Infrastructure;

public static class SessionFiles
{
    /// <summary>The session file in the middleware's <c>training_logs/</c>, as a user would open it.</summary>
    public static JsonElement ReadSessionFile(this BridgeStack stack, Guid sessionId)
    {
        Directory.Exists(stack.TrainingLogsDirectory).ShouldBeTrue($"{stack.TrainingLogsDirectory} was never created.");
        var files = Directory.GetFiles(stack.TrainingLogsDirectory, "session_*.json");
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (document.RootElement.GetProperty("session_id").GetGuid() == sessionId)
            {
                Path.GetFileName(file).ShouldMatch(@"^session_\d{8}_\d{6}(_\d+)?\.json$");
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException($"No file in {stack.TrainingLogsDirectory} holds session {sessionId} (files: {string.Join(", ", files.Select(Path.GetFileName))}).");
    }
}
