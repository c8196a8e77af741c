using Microsoft.AspNetCore.Http.HttpResults;

namespace BackpropService.Api.Database;

public static class DatabaseStartupExtensions
{
    /// <summary>
    /// Begins the database's preparation (<see cref="DatabaseStartup"/>) and holds every request until it is done: the
    /// server may listen before the migrations have run. A preparation that failed (the host then stops) answers 503.
    /// </summary>
    public static IApplicationBuilder UseDatabaseReady(this WebApplication app)
    {
        var startup = app.Services.GetRequiredService<DatabaseStartup>();
        startup.Begin();
        return app.Use(async (context, next) =>
        {
            if (!startup.Ready.IsCompletedSuccessfully)
            {
                try
                {
                    await startup.Ready.WaitAsync(context.RequestAborted);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                        detail: "The database could not be prepared at start; the service is stopping (its log says why).").ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
    }
}
