using BackpropService.Api.Datasets;
using BackpropService.Api.Errors;
using BackpropService.Api.Graphs;
using BackpropService.Api.Health;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Training;
using BackpropService.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddLimits();
// NOTE: binding failures (malformed JSON, wrong content type) throw, so ApiExceptionHandler words them as problems.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

// NOTE: configuration is read when services resolve, not here, so a test host's overrides apply.
builder.Services.AddPersistence(services =>
    services.GetRequiredService<IConfiguration>().GetConnectionString("Default") ?? "Data Source=backprop.db");
builder.Services.AddStrictJson();
builder.Services.AddApiProblemDetails();
builder.Services.AddApiSwagger();
builder.Services.AddTraining();

var app = builder.Build();

// The one place the database is prepared: migrations, then WAL (before the worker starts claiming jobs).
using (var scope = app.Services.CreateScope())
    DatabaseInitializer.Initialize(scope.ServiceProvider.GetRequiredService<BackpropDbContext>());

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseApiSwagger();

app.MapNetworksApi();
app.MapDatasetsApi();
app.MapJobsApi();
app.MapGraphsApi();
app.MapHealthApi();
app.MapHub<TrainingHub>(TrainingHub.Path);

app.Run();
