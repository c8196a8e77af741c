# Stand-in for redis:7-alpine (docker-compose.yml's scale profile), built by deploy/standin-images.sh from Debian
# bookworm's Redis 7.0: like the official image without a configuration file, it listens on every interface with
# protected mode off, keeps its data in /data and runs as user redis.
FROM backprop-standin/bookworm:minbase
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
VOLUME /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--bind", "*", "-::*", "--dir", "/data"]
ARG INPUTS
LABEL backprop.standin="redis" backprop.inputs="${INPUTS}"
