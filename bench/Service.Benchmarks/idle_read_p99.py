#!/usr/bin/env python3
# p99 of an idle GET /api/jobs/{id} (a finished 10-epoch job) while another job trains, on loopback, keep-alive,
# 3,000 sequential requests after 300 warm-up requests. Start the service first (Release), then:
#   python3 bench/Service.Benchmarks/idle_read_p99.py PORT [small|xor|none]
#   small (default): an ordinary mini-batch job (2-16-16-1 tanh, 1,000 rows, batch 32, ~10,000 epochs/s)
#   xor:  the fastest job there is (XOR full batch, 10,000,000 epochs, ~2 M epochs/s)
#   none: nothing trains (the baseline)
# The training job is cancelled at the end. bench/Service.Benchmarks/run.sh measures the xor case too.
import json, http.client, random, time, sys

port = int(sys.argv[1])
mode = sys.argv[2] if len(sys.argv) > 2 else "small"
c = http.client.HTTPConnection("127.0.0.1", port)

def post(path, body):
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse()
    return json.loads(r.read())

xor_net = {"name": "xor", "inputs": 2, "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}], "loss": "binary_cross_entropy"}
xor_data = {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}
random.seed(1)
feats = [[random.uniform(-1, 1), random.uniform(-1, 1)] for _ in range(1000)]
small = {"network": {"name": "small", "inputs": 2, "layers": [{"units": 16, "activation": "tanh"}, {"units": 16, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}], "loss": "binary_cross_entropy"},
         "dataset": {"name": "quadrants", "features": feats, "targets": [[1.0 if x * y > 0 else 0.0] for x, y in feats]},
         "epochs": 200000, "learningRate": 0.05, "batchSize": 32, "seed": 1}
xor = {"network": xor_net, "dataset": xor_data, "epochs": 10000000, "learningRate": 0.5, "seed": 1}

idle = post("/api/jobs", {"network": xor_net, "dataset": xor_data, "epochs": 10, "learningRate": 0.5, "seed": 1})["id"]
time.sleep(1)
training = post("/api/jobs", {"small": small, "xor": xor}[mode])["id"] if mode != "none" else None
time.sleep(1)
for _ in range(300):
    c.request("GET", "/api/jobs/" + idle); c.getresponse().read()
lat = []
for _ in range(3000):
    t = time.perf_counter(); c.request("GET", "/api/jobs/" + idle); c.getresponse().read(); lat.append((time.perf_counter() - t) * 1000)
lat.sort()
state = ""
if training:
    c.request("GET", "/api/jobs/" + training); d = json.loads(c.getresponse().read())
    state = "training job %s at epoch %d; " % (d["status"], d["epochsCompleted"])
    c.request("POST", "/api/jobs/%s/cancel" % training); c.getresponse().read()
print("%s: %sp50 %.2f p90 %.2f p99 %.2f max %.2f ms" % (mode, state, lat[1500], lat[2700], lat[2969], lat[-1]))
