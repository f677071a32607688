using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Tests.Protocols.OpenAIChat;

public sealed class ConversationTextTests
{
    private static ConversationText From(string messages) => ConversationText.From(JsonNode.Parse(messages)!.AsArray());

    [Fact]
    public void Latest_user_message_is_the_last_user_turn()
    {
        var text = From("""
            [{ "role": "system", "content": "be brief" }, { "role": "user", "content": "first" },
             { "role": "assistant", "content": "ok" }, { "role": "user", "content": "second" }, { "role": "assistant", "content": "done" }]
            """);

        Assert.Equal("second", text.LatestUserMessage);
    }

    [Fact]
    public void Content_parts_are_flattened_to_their_text_joined_by_newlines()
    {
        var text = From("""
            [{ "role": "user", "content": [
              { "type": "text", "text": "What is in this image?" },
              { "type": "image_url", "image_url": { "url": "data:image/png;base64,AAAA" } },
              { "type": "text", "text": "Answer briefly." }
            ] }]
            """);

        Assert.Equal("What is in this image?\nAnswer briefly.", text.LatestUserMessage);
    }

    [Fact]
    public void Image_only_user_message_has_empty_text()
    {
        var text = From("""[{ "role": "user", "content": [{ "type": "image_url", "image_url": { "url": "https://example.com/a.png" } }] }]""");

        Assert.Equal(string.Empty, text.LatestUserMessage);
        Assert.Equal(string.Empty, text.WholeConversation);
    }

    [Fact]
    public void Latest_user_message_is_found_in_messages_built_in_code()
    {
        var messages = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = "built" },
            new JsonObject { ["role"] = "assistant", ["content"] = "ok" });

        Assert.Equal("built", ConversationText.From(messages).LatestUserMessage);
    }

    [Fact]
    public void Tail_spanning_many_short_messages_keeps_their_order()
    {
        var text = From("""[{ "role": "user", "content": "one" }, { "role": "assistant", "content": "two" }, { "role": "user", "content": "three" }]""");

        Assert.Equal("o\nthree", text.Tail(7));
    }

    [Fact]
    public void Conversation_without_user_turn_has_no_latest_user_message() =>
        Assert.Null(From("""[{ "role": "system", "content": "be brief" }]""").LatestUserMessage);

    [Fact]
    public void Whole_conversation_joins_every_non_empty_text_by_newlines()
    {
        var text = From("""
            [{ "role": "system", "content": "be brief" }, { "role": "user", "content": [{ "type": "text", "text": "hi" }] },
             { "role": "assistant", "content": null, "tool_calls": [] }, { "role": "assistant", "content": "" }, { "role": "user", "content": "bye" }]
            """);

        Assert.Equal("be brief\nhi\nbye", text.WholeConversation);
    }

    [Fact]
    public void Tail_is_the_last_characters_of_the_whole_conversation()
    {
        var first = new string('a', 150);
        var second = new string('b', 150);
        var text = From($$"""[{ "role": "user", "content": "{{first}}" }, { "role": "assistant", "content": "{{second}}" }]""");

        var tail = text.Tail(200);

        Assert.Equal(200, tail.Length);
        Assert.Equal(new string('a', 49) + "\n" + second, tail);
    }

    [Fact]
    public void Tail_of_a_short_conversation_is_all_of_it() =>
        Assert.Equal("hi\nhello", From("""[{ "role": "user", "content": "hi" }, { "role": "assistant", "content": "hello" }]""").Tail(200));

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("null", "")]
    [InlineData("42", "")]
    [InlineData("""[{ "type": "text", "text": "a" }, { "type": "text" }, { "text": "no type" }, "b", { "type": "text", "text": "c" }]""", "a\nc")]
    public void Content_text_reads_only_strings_and_text_parts(string content, string expected) =>
        Assert.Equal(expected, ConversationText.ContentText(JsonNode.Parse(content)));
}
