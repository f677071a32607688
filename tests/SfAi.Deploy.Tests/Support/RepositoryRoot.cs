namespace SfAi.Deploy.Tests.Support;

/// <summary>The repository the tests run from: the first folder above the test binaries that holds <c>SfAi.sln</c>.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "SfAi.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No SfAi.sln above {AppContext.BaseDirectory}.");
    }
}
