namespace SfAi.Core.Configuration;

/// <summary>The bytes of one version of a configuration file, and a version tag (an ETag, or a file's time and size).</summary>
public sealed record ConfigContent(byte[] Json, string Version);
