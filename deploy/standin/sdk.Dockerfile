# The SDK stand-in with an offline NuGet feed: the packages src/Api restores, fetched on the host beforehand, and a
# user-level NuGet.Config that names only that feed, so `dotnet restore` in the project's Dockerfile needs no network.
FROM backprop-standin/sdk-base
COPY feed /usr/local/share/nuget-feed
COPY NuGet.Config /root/.nuget/NuGet/NuGet.Config
ARG FEED_HASH
LABEL backprop.standin="sdk" backprop.feed="${FEED_HASH}"
