using System.Text.Json;
using System.Text.Json.Serialization;

namespace Middleware.Routing;

/// <summary>Writes a dictionary's keys as they are. The wire JSON's snake_case key policy is for field names; the keys
/// here are data (teacher names such as <c>ollama/gemma3:1b</c>, topics such as <c>the weather</c>).</summary>
public sealed class VerbatimKeysConverter<TValue> : JsonConverter<IReadOnlyDictionary<string, TValue>>
{
    public override IReadOnlyDictionary<string, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object.");
        }

        var result = new Dictionary<string, TValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            result[key] = JsonSerializer.Deserialize<TValue>(ref reader, options)!;
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, TValue> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, options);
        }

        writer.WriteEndObject();
    }
}
