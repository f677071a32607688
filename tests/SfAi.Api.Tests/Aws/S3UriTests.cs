using SfAi.Api.Configuration;

namespace SfAi.Api.Tests.Aws;

/// <summary>The <c>s3://bucket/key</c> form that <c>MODEL_MAP_S3_URI</c> and <c>API_KEYS_S3_URI</c> take.</summary>
public sealed class S3UriTests
{
    [Theory]
    [InlineData("s3://sfai-config/model_map.json", "sfai-config", "model_map.json")]
    [InlineData("s3://sfai-config/config/prod/model_map.json", "sfai-config", "config/prod/model_map.json")]
    public void Splits_the_URI_into_bucket_and_key(string uri, string bucket, string key) =>
        Assert.Equal((bucket, key), S3ConfigSource.Parse(uri));

    [Theory]
    [InlineData("")]
    [InlineData("sfai-config/model_map.json")]
    [InlineData("https://sfai-config.s3.amazonaws.com/model_map.json")]
    [InlineData("S3://sfai-config/model_map.json")]
    [InlineData("s3://")]
    [InlineData("s3://sfai-config")]
    [InlineData("s3://sfai-config/")]
    [InlineData("s3:///model_map.json")]
    public void Refuses_a_malformed_URI_quoting_it_and_the_expected_form(string uri)
    {
        var error = Assert.Throws<FormatException>(() => S3ConfigSource.Parse(uri));

        Assert.Equal($"'{uri}' is not an S3 object URI of the form s3://bucket/key.", error.Message);
    }
}
