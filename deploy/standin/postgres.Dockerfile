# Stand-in for postgres:16-alpine (docker-compose.yml's scale profile), built by deploy/standin-images.sh from
# Debian bookworm's PostgreSQL 15. Honours what the official image's entrypoint reads: POSTGRES_USER (default
# postgres), POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: the user),
# POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS and PGDATA; initialises an empty data directory once, runs as
# postgres, stops on SIGINT (a fast shutdown) as the official image does; pg_isready is on the PATH.
FROM backprop-standin/bookworm:minbase
# No cluster from the package's own scripts: the entrypoint makes one in PGDATA, as the official image does.
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh && mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA"
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
ARG INPUTS
LABEL backprop.standin="postgres" backprop.inputs="${INPUTS}"
