namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>Tests that read or change the process environment run alone, after the others.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;
