using System.Text;

namespace SfAi.Bench.Runner;

/// <summary>The ~1 KB request bodies: the same conversation as an OpenAI chat request and as an Anthropic Messages request.</summary>
internal static class Bodies
{
    private const string System = "You are a concise assistant for the SfAi benchmark. Answer in one sentence.";

    private static readonly string Question = BuildQuestion();

    public static string OpenAI(string model, bool stream = false) =>
        $$"""{"model":"{{model}}","messages":[{"role":"system","content":"{{System}}"},{"role":"user","content":"{{Question}}"}],"temperature":0.2,"max_tokens":256{{(stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")}}}""";

    public static string Anthropic(string model, bool stream = false) =>
        $$"""{"model":"{{model}}","system":"{{System}}","messages":[{"role":"user","content":[{"type":"text","text":"{{Question}}"}]}],"temperature":0.2,"max_tokens":256{{(stream ? ",\"stream\":true" : "")}}}""";

    private static string BuildQuestion()
    {
        var text = new StringBuilder("Please summarise the following paragraph about gateways and latency in a single sentence.");
        var sentence = 0;
        while (text.Length < 800)
        {
            text.Append(" Sentence ").Append(++sentence).Append(" says that every hop adds a little time.");
        }
        return text.ToString();
    }
}
