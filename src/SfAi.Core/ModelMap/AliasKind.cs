namespace SfAi.Core.ModelMap;

/// <summary>What an alias is for (the model map's <c>kind</c>): the endpoint that serves it.</summary>
public enum AliasKind
{
    /// <summary><c>/v1/chat/completions</c> (and the protocols translated to it); the default.</summary>
    Chat,

    /// <summary><c>/v1/embeddings</c>.</summary>
    Embeddings,

    /// <summary><c>/v1/completions</c>: legacy text completions, fill-in-the-middle with <c>suffix</c>.</summary>
    Completions,
}
