namespace Cerebrum.Api.Learning;

/// <summary>The seed's stages of learning; each one changes how replies are made (see docs/learning.md).</summary>
public enum LearnerPhase
{
    Observing,
    Synthesizing,
    Developing,
    Fluent,
}

public static class LearnerPhases
{
    public const long SynthesizingFrom = 50;
    public const long DevelopingFrom = 100;
    public const long FluentFrom = 500;

    public static LearnerPhase FromObservations(long observations) => observations switch
    {
        < SynthesizingFrom => LearnerPhase.Observing,
        < DevelopingFrom => LearnerPhase.Synthesizing,
        < FluentFrom => LearnerPhase.Developing,
        _ => LearnerPhase.Fluent,
    };

    public static string ToWire(this LearnerPhase phase) => phase switch
    {
        LearnerPhase.Observing => "observing",
        LearnerPhase.Synthesizing => "synthesizing",
        LearnerPhase.Developing => "developing",
        _ => "fluent",
    };
}
