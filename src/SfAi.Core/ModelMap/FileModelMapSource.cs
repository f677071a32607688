using System.Globalization;

namespace SfAi.Core.ModelMap;

/// <summary>The model map in a local file; a change of the file's write time or size is a new version.</summary>
public sealed class FileModelMapSource : IModelMapSource
{
    private readonly string _path;

    public FileModelMapSource(string path) => _path = Path.GetFullPath(path);

    public string Description => _path;

    public async Task<ModelMapContent?> ReadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The model map file {_path} does not exist.", _path);
        }
        var version = string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}-{info.Length}");
        if (version == knownVersion)
        {
            return null;
        }
        var json = await File.ReadAllBytesAsync(_path, cancellationToken);
        return new ModelMapContent(json, version);
    }
}
