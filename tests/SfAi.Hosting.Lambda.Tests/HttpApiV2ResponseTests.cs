using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.Events;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>Which response bodies go out as UTF-8 text and which as base64.</summary>
public sealed class HttpApiV2ResponseTests
{
    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("text/event-stream", true)]
    [InlineData("application/json", true)]
    [InlineData("Application/JSON; charset=utf-8", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/xml", true)]
    [InlineData("application/atom+xml", true)]
    [InlineData("application/javascript", true)]
    [InlineData("", true)]
    [InlineData("application/octet-stream", false)]
    [InlineData("image/png", false)]
    [InlineData("application/pdf", false)]
    [InlineData("application/zip", false)]
    public void Body_of_this_content_type_is_text(string contentType, bool text)
    {
        IHeaderDictionary headers = new HeaderDictionary { ["Content-Type"] = contentType };

        Assert.Equal(text, HttpApiV2Response.IsText(headers));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public void Compressed_body_is_never_text(string encoding)
    {
        IHeaderDictionary headers = new HeaderDictionary { ["Content-Type"] = "application/json", ["Content-Encoding"] = encoding };

        Assert.False(HttpApiV2Response.IsText(headers));
    }
}
