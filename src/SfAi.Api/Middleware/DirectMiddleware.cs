using System.Diagnostics.CodeAnalysis;

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
}
