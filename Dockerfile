# Build: the RocksDB bindings need libclang; librdkafka (built from C by
# rdkafka) needs make, pkg-config and OpenSSL's headers.
FROM rust:1-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libclang-dev clang make pkg-config libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Every workspace member, or cargo cannot load the workspace; the tests are
# not compiled, so not copied; ui/ is compiled into the binary (src/api/ui.rs).
# scripts/docker-context-check.sh (run by
# scripts/test.sh) checks this list against what the build needs.
COPY Cargo.toml Cargo.lock ./
COPY compat compat
COPY bench bench
COPY src src
COPY ui ui
RUN cargo build --release --locked --bin treaty

# Run: a small Debian with the C++ runtime RocksDB links against, and the
# OpenSSL and CA certificates librdkafka uses for TLS to Kafka.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /data treaty \
 && mkdir /data && chown treaty /data
COPY --from=build /src/target/release/treaty /usr/local/bin/treaty
USER treaty
VOLUME /data
EXPOSE 8081
ENV TREATY_LISTEN=0.0.0.0:8081 TREATY_DATA_DIR=/data
ENTRYPOINT ["treaty"]
CMD ["serve"]
