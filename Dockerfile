# syntax=docker/dockerfile:1
# Multi-stage build: the SDK image compiles, the smaller ASP.NET runtime image runs.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone first, so this layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Persistence/Persistence.csproj src/Persistence/
COPY src/Api/Api.csproj src/Api/
# ReadyToRun: every assembly of the image is precompiled, so start-up jits little (docs/performance.md, "Start-up").
# It needs a runtime identifier; on an arm64 host build with --build-arg RID=linux-arm64.
ARG RID=linux-x64
RUN dotnet restore src/Api/Api.csproj -r $RID -p:PublishReadyToRun=true
COPY src/ src/
RUN dotnet publish src/Api/Api.csproj -c Release -r $RID --self-contained false -p:PublishReadyToRun=true -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only serves the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Default="Data Source=/data/backprop.db"
VOLUME /data
EXPOSE 8080
# The ASP.NET images ship an unprivileged user "app" (UID 1654).
USER app
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "BackpropService.Api.dll"]
