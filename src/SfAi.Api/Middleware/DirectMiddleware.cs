using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace SfAi.Api.Middleware;

internal static class DirectMiddleware
{
    /// <summary>
    /// Adds a convention-based middleware whose <c>InvokeAsync</c> is called directly. <c>UseMiddleware&lt;T&gt;</c>
    /// calls it through reflection on every request under native AOT.
    /// </summary>
    public static IApplicationBuilder UseDirect<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        this IApplicationBuilder app, Func<T, RequestDelegate> invoke) =>
        app.Use(next => invoke(ActivatorUtilities.CreateInstance<T>(app.ApplicationServices, next)));

    /// <summary>
    /// ASP.NET Core's CORS middleware with the registered <see cref="ICorsPolicyProvider"/>, bound directly as
    /// <see cref="UseDirect{T}"/> binds ours (<c>UseCors</c> goes through the reflection binder).
    /// </summary>
    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var policies = services.GetRequiredService<ICorsPolicyProvider>();
        return app.Use(next =>
        {
            var cors = new CorsMiddleware(next, services.GetRequiredService<ICorsService>(), services.GetRequiredService<ILoggerFactory>());
            return context => cors.Invoke(context, policies);
        });
    }
}
