using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmServer.Tests.Doubles;

public static class HttpJson
{
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    public static async Task<JsonNode> ChatAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/chat", body);
        var json = await response.ReadJsonAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"POST /api/chat answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }
}
