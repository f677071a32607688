namespace SfAi.Deploy.Tests;

/// <summary>How a deployment's choices are read from CDK context and the environment.</summary>
public sealed class DeploySettingsTests
{
    private static DeploySettings Read(Dictionary<string, object>? context = null, Dictionary<string, string>? environment = null) =>
        DeploySettings.From(
            name => context is not null && context.TryGetValue(name, out var value) ? value : null,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);

    [Fact]
    public void NoContext_GivesTheSeedsProdDeployment()
    {
        var settings = Read();
        Assert.Equal(("prod", "SfAiProdStack", 60, 10, "", "full"),
            (settings.EnvironmentName, settings.StackName, settings.RateLimitQpm, settings.BurstLimit, settings.AllowOrigins, settings.LogUserText));
    }

    [Fact]
    public void NoContext_RunsTheNativeBuildOnX86WithoutStreamingUploadOrProvisionedConcurrency()
    {
        var settings = Read();
        Assert.Equal((true, "x86_64", false, false, null, 0),
            (settings.NativeAot, settings.Architecture, settings.Streaming, settings.UploadConfig, settings.AlarmEmail, settings.ProvisionedConcurrency));
    }

    [Fact]
    public void NoContext_BuildsThePackageRatherThanTakingAPublishedFolder() => Assert.Null(Read().LambdaPackagePath);

    [Fact]
    public void Arm64_WithoutNativeAot_RunsTheJitBuild() => Assert.False(Read(new() { ["architecture"] = "arm64" }).NativeAot);

    [Fact]
    public void Arm64_WithNativeAot_RunsTheNativeBuild() => Assert.True(Read(new() { ["architecture"] = "arm64", ["nativeAot"] = "true" }).NativeAot);

    [Fact]
    public void NativeAot_False_RunsTheJitBuildOnX86() => Assert.False(Read(new() { ["nativeAot"] = "false" }).NativeAot);

    [Fact]
    public void ProvisionedConcurrency_IsAWholeNumber()
    {
        Assert.Equal(3, Read(new() { ["provisionedConcurrency"] = "3" }).ProvisionedConcurrency);
        Assert.Throws<ArgumentException>(() => Read(new() { ["provisionedConcurrency"] = "-1" }));
    }

    [Theory]
    [InlineData("staging", "SfAiStagingStack")]
    [InlineData("dev-2", "SfAiDev-2Stack")]
    public void EnvironmentName_NamesTheStack(string environment, string stack) =>
        Assert.Equal(stack, Read(new() { ["environmentName"] = environment }).StackName);

    [Theory]
    [InlineData("Prod")]
    [InlineData("2nd")]
    [InlineData("my_env")]
    [InlineData("a-very-long-environment-name")]
    public void EnvironmentName_OutsideLowerCaseLettersDigitsAndDashes_IsRefused(string environment) =>
        Assert.Contains("environmentName", Assert.Throws<ArgumentException>(() => Read(new() { ["environmentName"] = environment })).Message, StringComparison.Ordinal);

    [Fact]
    public void RateLimitQpm_ComesFromTheEnvironmentWithoutContext() =>
        Assert.Equal(30, Read(environment: new() { ["RATE_LIMIT_QPM"] = "30" }).RateLimitQpm);

    [Fact]
    public void RateLimitQpm_FromContextWinsOverTheEnvironment() =>
        Assert.Equal(90, Read(new() { ["rateLimitQpm"] = "90" }, new() { ["RATE_LIMIT_QPM"] = "30" }).RateLimitQpm);

    [Fact]
    public void RateLimitQpm_AsAJsonNumberFromCdkJson_IsRead() =>
        Assert.Equal(120, Read(new() { ["rateLimitQpm"] = 120d }).RateLimitQpm);

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("many")]
    public void RateLimitQpm_ThatIsNotAWholeNumber_IsRefused(string qpm) =>
        Assert.Throws<ArgumentException>(() => Read(new() { ["rateLimitQpm"] = qpm }));

    [Fact]
    public void AllowOrigins_ComeFromTheEnvironmentWithoutContext() =>
        Assert.Equal("https://a.example", Read(environment: new() { ["ALLOW_ORIGINS"] = "https://a.example" }).AllowOrigins);

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    public void Switches_ReadTrueAndFalseInAnyCase(string text, bool expected) =>
        Assert.Equal(expected, Read(new() { ["streaming"] = text }).Streaming);

    [Fact]
    public void Switches_ReadJsonBooleansFromCdkJson() => Assert.True(Read(new() { ["uploadConfig"] = true }).UploadConfig);

    [Fact]
    public void Switches_OtherWords_AreRefused() => Assert.Throws<ArgumentException>(() => Read(new() { ["nativeAot"] = "yes" }));

    [Fact]
    public void Architecture_OtherThanX86OrArm64_IsRefused() => Assert.Throws<ArgumentException>(() => Read(new() { ["architecture"] = "aarch64" }));

    [Theory]
    [InlineData("full")]
    [InlineData("truncate:200")]
    [InlineData("hash")]
    [InlineData("off")]
    public void LogUserText_TakesTheGatewaysValues(string value) => Assert.Equal(value, Read(new() { ["logUserText"] = value }).LogUserText);

    [Fact]
    public void LogUserText_OtherValues_AreRefusedBeforeTheGatewayWouldFailToStart() =>
        Assert.Throws<ArgumentException>(() => Read(new() { ["logUserText"] = "mask" }));

    [Fact]
    public void AlarmEmail_WithoutAnAt_IsRefused() => Assert.Throws<ArgumentException>(() => Read(new() { ["alarmEmail"] = "ops" }));

    [Fact]
    public void Supabase_IsOffWithoutContext()
    {
        var settings = Read();
        Assert.Equal((null, null, null, false), (settings.SupabaseUrl, settings.SupabaseAnonKey, settings.SupabaseAudience, settings.SupabaseJwtSecret));
    }

    [Fact]
    public void Supabase_AnonKeyAndAudienceAreRead()
    {
        var settings = Read(new() { ["supabaseUrl"] = "https://abcd.supabase.co", ["supabaseAnonKey"] = " sb_publishable_x ", ["supabaseAudience"] = "authenticated" });
        Assert.Equal(("sb_publishable_x", "authenticated"), (settings.SupabaseAnonKey, settings.SupabaseAudience));
    }

    [Theory]
    [InlineData("supabaseAnonKey", "sb_publishable_x")]
    [InlineData("supabaseAudience", "authenticated")]
    public void Supabase_AnonKeyOrAudienceWithoutUrl_IsRefusedRatherThanIgnored(string name, string value) =>
        Assert.Equal($"{name} is given without supabaseUrl: the gateway would ignore it.",
            Assert.Throws<ArgumentException>(() => Read(new() { [name] = value })).Message);

    [Fact]
    public void BudgetMonthlyUsd_IsNoneWithoutContext() => Assert.Null(Read().BudgetMonthlyUsd);

    [Theory]
    [InlineData("500", 500)]
    [InlineData("99.50", 99.5)]
    [InlineData("0.01", 0.01)]
    public void BudgetMonthlyUsd_IsAnAmountOfDollars(string text, double expected) =>
        Assert.Equal((decimal)expected, Read(new() { ["budgetMonthlyUsd"] = text }).BudgetMonthlyUsd);

    [Fact]
    public void BudgetMonthlyUsd_AsAJsonNumberFromCdkJson_IsRead() =>
        Assert.Equal(99.5m, Read(new() { ["budgetMonthlyUsd"] = 99.5d }).BudgetMonthlyUsd);

    [Fact]
    public void BudgetMonthlyUsd_ComesFromTheEnvironmentWithoutContext() =>
        Assert.Equal(20m, Read(environment: new() { ["BUDGET_MONTHLY_USD"] = "20" }).BudgetMonthlyUsd);

    [Fact]
    public void BudgetMonthlyUsd_FromContextWinsOverTheEnvironment() =>
        Assert.Equal(90m, Read(new() { ["budgetMonthlyUsd"] = "90" }, new() { ["BUDGET_MONTHLY_USD"] = "20" }).BudgetMonthlyUsd);

    [Theory]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("-5")]
    [InlineData("1,500")]
    [InlineData("1e3")]
    [InlineData("$20")]
    [InlineData("lots")]
    public void BudgetMonthlyUsd_ThatIsNotAPositiveAmount_IsRefused(string text) =>
        Assert.Equal($"budgetMonthlyUsd '{text}' must be an amount of US dollars > 0 (e.g. 500 or 99.50).",
            Assert.Throws<ArgumentException>(() => Read(new() { ["budgetMonthlyUsd"] = text })).Message);

    [Fact]
    public void Supabase_UrlAndSecretSwitchAreRead()
    {
        var settings = Read(new() { ["supabaseUrl"] = "https://abcd.supabase.co/", ["supabaseJwtSecret"] = "true" });
        Assert.Equal(("https://abcd.supabase.co", true), (settings.SupabaseUrl, settings.SupabaseJwtSecret));
    }

    [Theory]
    [InlineData("abcd.supabase.co")]
    [InlineData("http://abcd.supabase.co")]
    public void Supabase_UrlThatIsNotHttps_IsRefused(string url) =>
        Assert.Contains("supabaseUrl", Assert.Throws<ArgumentException>(() => Read(new() { ["supabaseUrl"] = url })).Message, StringComparison.Ordinal);

    [Fact]
    public void DailySpendAlarmUsd_IsNoneWithoutContext() => Assert.Null(Read().DailySpendAlarmUsd);

    [Fact]
    public void DailySpendAlarmUsd_IsAnAmountOfDollars() => Assert.Equal(12.5m, Read(new() { ["dailySpendAlarmUsd"] = "12.5" }).DailySpendAlarmUsd);

    [Fact]
    public void DailySpendAlarmUsd_IsNotReadFromTheEnvironment() =>
        Assert.Null(Read(environment: new() { ["DAILY_SPEND_ALARM_USD"] = "10", ["dailySpendAlarmUsd"] = "10" }).DailySpendAlarmUsd);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("ten")]
    public void DailySpendAlarmUsd_ThatIsNotAPositiveAmount_IsRefused(string text) =>
        Assert.Equal($"dailySpendAlarmUsd '{text}' must be an amount of US dollars > 0 (e.g. 500 or 99.50).",
            Assert.Throws<ArgumentException>(() => Read(new() { ["dailySpendAlarmUsd"] = text })).Message);
}
