using SfAi.Core.Logging;

namespace SfAi.Core.Tests.Logging;

/// <summary>Embedding inputs are logged only when <c>LOG_USER_TEXT</c> is set, and then as it says.</summary>
public sealed class UserTextPolicyChosenTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("full", "whole file")]
    [InlineData("truncate:5", "whole")]
    [InlineData("off", null)]
    public void Applies_only_a_chosen_setting(string? setting, string? expected) =>
        Assert.Equal(expected, UserTextPolicy.Parse(setting).ApplyWhenChosen("whole file"));

    [Fact]
    public void A_hash_setting_hashes() =>
        Assert.StartsWith("sha256:", UserTextPolicy.Parse("hash").ApplyWhenChosen("whole file"), StringComparison.Ordinal);

    [Fact]
    public void The_default_still_keeps_chat_text_whole() =>
        Assert.Equal("chat text", UserTextPolicy.Parse(null).Apply("chat text"));
}
