namespace SfAi.Core.Configuration;

/// <summary>Where a configuration file is read from: a local file, or an S3 object on AWS.</summary>
public interface IConfigSource
{
    /// <summary>Names the source in messages and logs (a path or an <c>s3://</c> URI).</summary>
    string Description { get; }

    /// <summary>
    /// Reads the file unless its version is still <paramref name="knownVersion"/>; <c>null</c> means unchanged.
    /// Throws when the source cannot be read.
    /// </summary>
    Task<ConfigContent?> ReadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken);
}
