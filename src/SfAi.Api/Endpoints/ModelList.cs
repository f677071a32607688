namespace SfAi.Api.Endpoints;

/// <summary>OpenAI's model list: <c>{"object":"list","data":[…]}</c>.</summary>
internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data)
{
    public ModelList(IReadOnlyList<ModelEntry> data)
        : this("list", data) { }
}

/// <summary>One alias, as OpenAI lists a model.</summary>
internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy)
{
    public ModelEntry(string id, long created, string ownedBy)
        : this(id, "model", created, ownedBy) { }
}
