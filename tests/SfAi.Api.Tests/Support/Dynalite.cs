using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace SfAi.Api.Tests.Support;

/// <summary>
/// A real DynamoDB-compatible server (the npm package dynalite, from <c>tests/tools</c>) on 127.0.0.1, in memory,
/// with the gateway's rate-limit table. It installs the package with <c>npm ci</c> when it is missing, so
/// <c>dotnet test</c> alone runs everything.
/// </summary>
public sealed class Dynalite : IAsyncLifetime
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public AmazonDynamoDBClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var tools = await EnsureInstalledAsync();
        var port = FreePort();
        _process = Process.Start(new ProcessStartInfo("node", [Path.Combine(tools, "node_modules", "dynalite", "cli.js"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node could not be started");
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        await WaitForPortAsync(port);

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "local");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "local");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = Endpoint.AbsoluteUri, AuthenticationRegion = "us-east-1" });
    }

    /// <summary>Creates an empty rate-limit table of the gateway's shape and returns its name.</summary>
    public Task<string> CreateTableAsync() => CreateTableAsync($"rate-limits-{Guid.NewGuid():N}",
        [new AttributeDefinition("pk", ScalarAttributeType.S)], [new KeySchemaElement("pk", KeyType.HASH)]);

    /// <summary>Creates an empty usage table of the shape the CDK app makes (<c>pk</c>, <c>sk</c>) and returns its name.</summary>
    public Task<string> CreateUsageTableAsync() => CreateTableAsync($"usage-{Guid.NewGuid():N}",
        [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
        [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)]);

    private async Task<string> CreateTableAsync(string name, List<AttributeDefinition> attributes, List<KeySchemaElement> keys)
    {
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = attributes,
            KeySchema = keys,
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < 100; i++)
        {
            var table = await Client.DescribeTableAsync(name, TestContext.Current.CancellationToken);
            if (table.Table.TableStatus == TableStatus.ACTIVE)
            {
                return name;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Table {name} did not become active.");
    }

    /// <summary>Stops the server: from now on its port refuses connections, as a DynamoDB outage looks to the gateway.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Stop();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SfAi.sln")))
        {
            directory = directory.Parent;
        }
        var tools = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("SfAi.sln not found above the test output"), "tests", "tools");
        await InstallGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!File.Exists(Path.Combine(tools, "node_modules", "dynalite", "cli.js")))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", tools]) { UseShellExecute = false })
                    ?? throw new InvalidOperationException("npm could not be started");
                await npm.WaitForExitAsync(TestContext.Current.CancellationToken);
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci in {tools} failed with exit code {npm.ExitCode}.");
                }
            }
        }
        finally
        {
            InstallGate.Release();
        }
        return tools;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25, TestContext.Current.CancellationToken);
            }
        }
        throw new TimeoutException($"dynalite did not listen on port {port}.");
    }
}
