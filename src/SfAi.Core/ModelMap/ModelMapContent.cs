namespace SfAi.Core.ModelMap;

/// <summary>The bytes of one version of the model map, and a version tag (an ETag, or a file's time and size).</summary>
public sealed record ModelMapContent(byte[] Json, string Version);
