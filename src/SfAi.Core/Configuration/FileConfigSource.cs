using System.Globalization;

namespace SfAi.Core.Configuration;

/// <summary>A configuration file on disk; a change of the file's write time or size is a new version.</summary>
public sealed class FileConfigSource : IConfigSource
{
    private readonly string _path;

    public FileConfigSource(string path) => _path = Path.GetFullPath(path);

    public string Description => _path;

    public async Task<ConfigContent?> ReadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The file {_path} does not exist.", _path);
        }
        var version = string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}-{info.Length}");
        if (version == knownVersion)
        {
            return null;
        }
        var json = await File.ReadAllBytesAsync(_path, cancellationToken);
        return new ConfigContent(json, version);
    }
}
