namespace Trainer.Cli.Middleware;

/// <summary>The middleware could not be reached or refused a call; <see cref="Exception.Message"/> is shown to the user as is.</summary>
public sealed class MiddlewareException(string message, Exception? inner = null) : Exception(message, inner);
