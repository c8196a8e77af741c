# Stand-in for mcr.microsoft.com/dotnet/aspnet:10.0, built by deploy/standin-images.sh: the same environment, user
# and layout as the official image (dotnet in /usr/share/dotnet, linked from /usr/bin), on Debian bookworm.
FROM backprop-standin/bookworm:minbase
ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
RUN groupadd --gid=1654 app \
 && useradd --no-log-init --uid=1654 --gid=1654 --create-home app
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ARG DOTNET_SDK
LABEL backprop.standin="aspnet" backprop.dotnet-sdk="${DOTNET_SDK}"
