# The SDK on top of the aspnet stand-in, as the official SDK image is built on the official aspnet image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
    DOTNET_NOLOGO=true \
    DOTNET_USE_POLLING_FILE_WATCHER=true \
    NUGET_XMLDOC_MODE=skip
COPY dotnet /usr/share/dotnet
ARG DOTNET_SDK
LABEL backprop.standin="sdk-base" backprop.dotnet-sdk="${DOTNET_SDK}"
