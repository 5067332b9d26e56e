namespace Trainer.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>128 + SIGINT, as shells report a program ended by Ctrl+C.</summary>
    public const int Interrupted = 130;
}
