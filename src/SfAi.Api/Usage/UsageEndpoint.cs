using System.Globalization;
using System.Text.Json;
using SfAi.Api.Pipeline;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// <c>GET /v1/usage?from=2026-12-01&amp;to=2026-12-31&amp;group_by=key|user|alias|model|day</c>, for admin keys: the ledger's
/// requests, errors, tokens, cost and latency percentiles per group over the UTC days <c>from</c> to <c>to</c> (both
/// included; the current month by default).
/// </summary>
internal static class UsageEndpoint
{
    public static async Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        RequireAdmin(context);
        if (services.GetService<IUsageLedger>() is not { } ledger)
        {
            throw new GatewayException(new GatewayError(404, "invalid_request_error", "usage_store_off", null,
                "The gateway keeps no usage ledger (USAGE_STORE=off).", ErrorKinds.BadRequest));
        }
        var query = Query(context.Request.Query, TimeProvider.System.GetUtcNow());
        var groups = await ledger.QueryAsync(query, context.RequestAborted);
        await RespondAsync(context, JsonWriting.Write((query, groups), static (writer, state) => Write(writer, state.query, state.groups)));
    }

    /// <summary>A 200 with <paramref name="json"/>.</summary>
    public static async Task RespondAsync(HttpContext context, byte[] json)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>403 unless the caller's key is an admin key.</summary>
    public static void RequireAdmin(HttpContext context)
    {
        if (!context.Gateway().Grant.Admin)
        {
            throw new GatewayException(new GatewayError(403, "invalid_request_error", "admin_key_required", null,
                "The usage figures are for admin keys only (\"admin\": true in the keys file).", ErrorKinds.Forbidden));
        }
    }

    /// <summary>The query's period and grouping; a wrong value is a 400 naming it.</summary>
    public static UsageQuery Query(IQueryCollection parameters, DateTimeOffset now)
    {
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var from = Day(parameters["from"], "from") ?? monthStart;
        var to = (Day(parameters["to"], "to") ?? monthStart.AddMonths(1).AddDays(-1)).AddDays(1);
        if (to <= from)
        {
            throw new GatewayException(GatewayError.BadRequest("'to' must not be before 'from'.", "to"));
        }
        if (!UsageQuery.TryParseGroupBy(parameters["group_by"], out var groupBy))
        {
            throw new GatewayException(GatewayError.BadRequest(
                $"'group_by' must be one of key, user, alias, model, day; got '{parameters["group_by"]}'.", "group_by"));
        }
        return new UsageQuery(from, to, groupBy);
    }

    private static DateTimeOffset? Day(string? text, string name) =>
        string.IsNullOrEmpty(text)
            ? null
            : DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
                ? new DateTimeOffset(day, TimeSpan.Zero)
                : throw new GatewayException(GatewayError.BadRequest($"'{name}' must be a date as 2026-12-31; got '{text}'.", name));

    private static void Write(Utf8JsonWriter writer, UsageQuery query, IReadOnlyList<UsageGroup> groups)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteString("from", query.From.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        writer.WriteString("to", query.To.AddDays(-1).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        writer.WriteString("group_by", query.GroupBy.ToString().ToLowerInvariant());
        writer.WriteStartArray("data");
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            writer.WriteString("group", group.Group);
            writer.WriteNumber("requests", group.Requests);
            writer.WriteNumber("errors", group.Errors);
            writer.WriteNumber("tokens_in", group.TokensIn);
            writer.WriteNumber("tokens_out", group.TokensOut);
            writer.WriteNumber("cached_tokens_in", group.CachedTokensIn);
            writer.WriteNumber("cache_write_tokens_in", group.CacheWriteTokensIn);
            writer.WriteNumber("cost_usd", group.CostUsd);
            writer.WriteNumber("latency_p50_ms", group.LatencyP50Ms);
            writer.WriteNumber("latency_p95_ms", group.LatencyP95Ms);
            if (group.CostByAlias is { } byAlias)
            {
                writer.WriteStartObject("cost_by_alias");
                foreach (var (alias, cost) in byAlias)
                {
                    writer.WriteNumber(alias, cost);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("total");
        writer.WriteNumber("requests", groups.Sum(g => g.Requests));
        writer.WriteNumber("errors", groups.Sum(g => g.Errors));
        writer.WriteNumber("tokens_in", groups.Sum(g => g.TokensIn));
        writer.WriteNumber("tokens_out", groups.Sum(g => g.TokensOut));
        writer.WriteNumber("cost_usd", groups.Sum(g => g.CostUsd));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
