using BackpropService.Api.Database;
using BackpropService.Api.Datasets;
using BackpropService.Api.Errors;
using BackpropService.Api.Graphs;
using BackpropService.Api.Health;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Api.Lifecycle;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.Observability;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Reliability;
using BackpropService.Api.ScaleOut;
using BackpropService.Api.Security;
using BackpropService.Api.Sweeps;
using BackpropService.Api.Training;
using BackpropService.Api.Warmup;
using BackpropService.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddLimits();
// NOTE: binding failures (malformed JSON, wrong content type) throw, so ApiExceptionHandler words them as problems.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

// Database:Provider (sqlite | postgres) and ConnectionStrings:Default, read when services resolve (test overrides apply).
builder.Services.AddDatabase();
builder.Services.AddStrictJson();
builder.Services.AddReliability();
builder.Services.AddApiProblemDetails();
builder.Services.AddApiSwagger();
builder.Services.AddTraining();
builder.Services.AddRetention();
// Optional API keys and owners (Auth:ApiKeyHashes, Auth:ApiKeys), CORS (Cors:AllowedOrigins): both off unless configured.
builder.AddSecurity();
builder.AddScaleOut();
builder.AddObservability();
// After start, the first job's code is compiled on a scratch job that is never stored (Startup:WarmUp).
builder.Services.AddFirstUseWarmup();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
// The one place the database's preparation begins (migrations, then WAL); it runs beside the rest of the start-up,
// and requests, the worker and the background services wait for it.
app.UseDatabaseReady();
app.UseSecurity();
app.UseReliability();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseApiSwagger();
app.UseObservability();

var api = app.MapApiGroup();
api.MapNetworksApi();
api.MapDatasetsApi();
api.MapJobsApi();
api.MapSweepsApi();
api.MapGraphsApi();
app.MapHealthApi();
app.MapHub<TrainingHub>(TrainingHub.Path).RequireAuthorization(ApiKeyPolicy.Name);

app.Run();
