using System.Text;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Tests.Support;

internal static class Requests
{
    public static ChatRequest Parse(string json) => ChatRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    public static ChatRequest UserSays(string text, bool stream = false, bool includeUsage = false) => Parse($$"""
        {
          "model": "frontend",
          "messages": [{ "role": "user", "content": {{System.Text.Json.JsonSerializer.Serialize(text)}} }],
          "stream": {{(stream ? "true" : "false")}}{{(includeUsage ? """, "stream_options": { "include_usage": true }""" : "")}}
        }
        """);
}
