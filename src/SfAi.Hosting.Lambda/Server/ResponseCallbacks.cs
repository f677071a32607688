namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// The app's <c>OnStarting</c> and <c>OnCompleted</c> callbacks of one response, run as ASP.NET Core runs them:
/// last registered first, the starting ones once.
/// </summary>
internal sealed class ResponseCallbacks
{
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];

    public bool Started { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    /// <returns>Whether this call started the response (false when it had already started).</returns>
    public async Task<bool> StartAsync()
    {
        if (Started)
        {
            return false;
        }
        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State);
        }
        Started = true;
        return true;
    }

    public async Task CompletedAsync()
    {
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State);
        }
    }
}
