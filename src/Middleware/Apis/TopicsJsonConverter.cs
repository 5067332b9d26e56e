using System.Text.Json;
using System.Text.Json.Serialization;

namespace Middleware.Apis;

/// <summary><c>"topics"</c> is a list of topics, or the word <c>"adaptive"</c>: the configured topics, chosen by the
/// adaptive curriculum (<see cref="AdaptiveTopics"/>).</summary>
public sealed class TopicsJsonConverter : JsonConverter<IReadOnlyList<string?>?>
{
    public override IReadOnlyList<string?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() is { } word && word.Trim().Equals(Routing.CurriculumModes.Adaptive, StringComparison.OrdinalIgnoreCase)
                ? AdaptiveTopics.Instance
                : throw new JsonException("'topics' must be a list of topics or the word \"adaptive\".");
        }

        return JsonSerializer.Deserialize<List<string?>>(ref reader, options);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string?>? value, JsonSerializerOptions options)
    {
        if (value is AdaptiveTopics)
        {
            writer.WriteStringValue(Routing.CurriculumModes.Adaptive);
            return;
        }

        JsonSerializer.Serialize(writer, value?.ToList(), options);
    }
}

/// <summary><c>"topics": "adaptive"</c>: no list of its own.</summary>
public sealed class AdaptiveTopics : IReadOnlyList<string?>
{
    public static AdaptiveTopics Instance { get; } = new();

    private AdaptiveTopics()
    {
    }

    public int Count => 0;

    public string? this[int index] => throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<string?> GetEnumerator() => Enumerable.Empty<string?>().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
