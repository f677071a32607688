using Amazon.CDK;
using SfAi.Deploy;

var app = new App();
var settings = DeploySettings.From(app.Node.TryGetContext, System.Environment.GetEnvironmentVariable);
_ = new SfAiStack(app, settings);
app.Synth();
