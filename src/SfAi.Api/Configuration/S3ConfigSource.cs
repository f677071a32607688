using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using SfAi.Core.Configuration;

namespace SfAi.Api.Configuration;

/// <summary>
/// A configuration file in S3 (<c>s3://bucket/key</c>): read with <c>If-None-Match</c> on the last ETag, so a check
/// of an unchanged object is a 304 that costs nothing; the ETag is the version. A missing object or any failure
/// throws, which keeps the last good version in force.
/// </summary>
internal sealed class S3ConfigSource : IConfigSource
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;

    public S3ConfigSource(IAmazonS3 s3, string uri)
    {
        _s3 = s3;
        (_bucket, _key) = Parse(uri);
        Description = uri;
    }

    public string Description { get; }

    /// <exception cref="FormatException">The URI is not <c>s3://bucket/key</c>.</exception>
    public static (string Bucket, string Key) Parse(string uri)
    {
        const string scheme = "s3://";
        var slash = uri.StartsWith(scheme, StringComparison.Ordinal) ? uri.IndexOf('/', scheme.Length) : -1;
        if (slash <= scheme.Length || slash == uri.Length - 1)
        {
            throw new FormatException($"'{uri}' is not an S3 object URI of the form s3://bucket/key.");
        }
        return (uri[scheme.Length..slash], uri[(slash + 1)..]);
    }

    public async Task<ConfigContent?> ReadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = _key };
        if (knownVersion is not null)
        {
            request.EtagToNotMatch = knownVersion;
        }
        try
        {
            using var response = await _s3.GetObjectAsync(request, cancellationToken);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken);
            return new ConfigContent(content.ToArray(), response.ETag);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{Description} does not exist ({ex.ErrorCode}).", ex);
        }
    }
}
