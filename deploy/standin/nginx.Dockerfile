# Stand-in for nginx:1.27-alpine (docker-compose.yml's scale profile), built by deploy/standin-images.sh from Debian
# bookworm's nginx 1.22: as in the official image, /etc/nginx/conf.d/*.conf is the site (Debian's own default site is
# removed), logs go to the container's output, and SIGQUIT stops it gracefully.
FROM backprop-standin/bookworm:minbase
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
ARG INPUTS
LABEL backprop.standin="nginx" backprop.inputs="${INPUTS}"
