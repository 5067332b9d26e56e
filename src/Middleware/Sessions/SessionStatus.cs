namespace Middleware.Sessions;

/// <summary>Running and paused sessions are active: they resume after a restart. The others are final.</summary>
public enum SessionStatus
{
    Running,
    Paused,
    Completed,
    Stopped,
    Failed,
}

public static class SessionStatusExtensions
{
    public static bool IsActive(this SessionStatus status) => status is SessionStatus.Running or SessionStatus.Paused;

    public static string ToWire(this SessionStatus status) => status.ToString().ToLowerInvariant();

    public static SessionStatus ParseWire(string value) => Enum.Parse<SessionStatus>(value, ignoreCase: true);
}
