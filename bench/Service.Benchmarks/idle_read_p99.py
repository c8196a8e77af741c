#!/usr/bin/env python3
# p99 of an idle GET /api/jobs/{id} while an ordinary mini-batch job trains (2-16-16-1 tanh, 1,000 rows, batch 32),
# on loopback, keep-alive, 2,000 sequential requests. Start the service first (Release), then:
#   python3 bench/Service.Benchmarks/idle_read_p99.py PORT
# The job is cancelled at the end. bench/Service.Benchmarks/run.sh measures the same for a ~1 M epochs/s XOR job.
import json, http.client, random, time, sys
random.seed(1)
rows=1000
feats=[[random.uniform(-1,1), random.uniform(-1,1)] for _ in range(rows)]
targ=[[1.0 if (x*y>0) else 0.0] for x,y in feats]
body={"network":{"name":"small","inputs":2,"layers":[{"units":16,"activation":"tanh"},{"units":16,"activation":"tanh"},{"units":1,"activation":"sigmoid"}],"loss":"binary_cross_entropy"},
      "dataset":{"name":"quadrants","features":feats,"targets":targ},"epochs":200000,"learningRate":0.05,"batchSize":32,"seed":1}
c=http.client.HTTPConnection("127.0.0.1",int(sys.argv[1]))
c.request("POST","/api/jobs",json.dumps(body),{"Content-Type":"application/json"}); r=c.getresponse(); job=json.loads(r.read()); jid=job["id"]
time.sleep(2)
lat=[]
for i in range(2000):
    t=time.perf_counter(); c.request("GET","/api/jobs/"+jid); r=c.getresponse(); d=json.loads(r.read()); lat.append((time.perf_counter()-t)*1000)
lat.sort()
print("status",d["status"],"epoch",d["epochsCompleted"],"p50 %.2f p99 %.2f max %.2f ms"%(lat[1000],lat[1979],lat[-1]))
c.request("POST","/api/jobs/%s/cancel"%jid); c.getresponse().read()
