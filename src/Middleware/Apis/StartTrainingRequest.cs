using System.Text.Json.Serialization;

namespace Middleware.Apis;

/// <summary>Body of <c>POST /api/training/start</c>; every field is optional. Numbers are wide so that an
/// out-of-range value is answered as a validation problem on its field rather than as unreadable JSON.</summary>
public sealed record StartTrainingRequest(
    long? MaxExchanges = null,
    double? Delay = null,
    string? Topic = null,
    [property: JsonConverter(typeof(TopicsJsonConverter))] IReadOnlyList<string?>? Topics = null,
    long? TopicSwitchInterval = null,
    IReadOnlyList<string?>? Teachers = null,
    string? Routing = null,
    string? Curriculum = null);
