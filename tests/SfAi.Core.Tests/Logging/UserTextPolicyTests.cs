using SfAi.Core.Logging;

namespace SfAi.Core.Tests.Logging;

public sealed class UserTextPolicyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("full")]
    [InlineData(" FULL ")]
    public void Full_keeps_the_text(string? setting) =>
        Assert.Equal("こんにちは, world", UserTextPolicy.Parse(setting).Apply("こんにちは, world"));

    [Theory]
    [InlineData("truncate:5", "hello world", "hello")]
    [InlineData("TRUNCATE:5", "hello world", "hello")]
    [InlineData("truncate:50", "hello world", "hello world")]
    [InlineData("truncate:11", "hello world", "hello world")]
    [InlineData("truncate:0", "hello world", "")]
    public void Truncate_keeps_the_first_n_characters(string setting, string text, string expected) =>
        Assert.Equal(expected, UserTextPolicy.Parse(setting).Apply(text));

    [Fact]
    public void Hash_is_the_sha256_of_the_utf8_text_in_lowercase_hex() =>
        Assert.Equal(
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            UserTextPolicy.Parse("hash").Apply("abc"));

    [Fact]
    public void Hash_of_equal_texts_is_equal_and_of_different_texts_differs()
    {
        var policy = UserTextPolicy.Parse("hash");

        Assert.Equal(policy.Apply("日本語"), policy.Apply("日本語"));
        Assert.NotEqual(policy.Apply("日本語"), policy.Apply("日本"));
    }

    [Fact]
    public void Off_keeps_nothing() => Assert.Null(UserTextPolicy.Parse("off").Apply("secret plans"));

    [Theory]
    [InlineData("full")]
    [InlineData("truncate:3")]
    [InlineData("hash")]
    [InlineData("off")]
    public void No_text_stays_no_text(string setting) => Assert.Null(UserTextPolicy.Parse(setting).Apply(null));

    [Theory]
    [InlineData("truncate")]
    [InlineData("truncate:")]
    [InlineData("truncate:-1")]
    [InlineData("truncate:ten")]
    [InlineData("sha256")]
    [InlineData("none")]
    public void Rejects_an_unknown_setting_naming_it(string setting)
    {
        var exception = Assert.Throws<FormatException>(() => UserTextPolicy.Parse(setting));

        Assert.Contains($"'{setting}'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("full", "ada@example.com")]
    [InlineData("truncate:3", "ada@example.com")]
    [InlineData("hash", "sha256:")]
    [InlineData("off", null)]
    public void An_identity_is_kept_whole_hashed_or_dropped(string setting, string? expectedStart)
    {
        var shown = UserTextPolicy.Parse(setting).ApplyToIdentity("ada@example.com");

        if (expectedStart is null)
        {
            Assert.Null(shown);
        }
        else
        {
            Assert.StartsWith(expectedStart, shown, StringComparison.Ordinal);
        }
    }
}
