"""What the bench/edges scripts share: start `dotnet <dll>` and wait for /health, one JSON request on a keep-alive
connection, the XOR network and dataset every workload trains, and a process's CPU time."""
import http.client, json, os, subprocess, sys, time

XOR_NETWORK = {"name": "xor", "inputs": 2, "loss": "binary_cross_entropy",
               "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]}
XOR_DATASET = {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}


def request(conn, method, path, body=None):
    """Sends one request with a JSON body (or none); returns the status and the parsed answer (None when empty)."""
    conn.request(method, path, body=None if body is None else json.dumps(body), headers={"Content-Type": "application/json"})
    r = conn.getresponse(); data = r.read()
    return r.status, (json.loads(data) if data else None)


def start(dll, port, env, log_path):
    """Starts the service on 127.0.0.1:port with its output in log_path; returns it and a connection once /health is 200."""
    proc = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}"], env=env,
                            stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            if request(conn, "GET", "/health")[0] == 200: return proc, conn
        except OSError: time.sleep(0.05)
        if proc.poll() is not None: sys.exit(f"the service exited; see {log_path}")


def create_xor(conn):
    """Stores the XOR network and dataset; returns their ids."""
    net = request(conn, "POST", "/api/networks", XOR_NETWORK)[1]["id"]
    ds = request(conn, "POST", "/api/datasets", XOR_DATASET)[1]["id"]
    return net, ds


def cpu_seconds(pid):
    """The process's user + system CPU time so far (less sensitive to other load on the machine than wall time)."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def parse_args(opts, text=(), usage=None):
    """The scripts' command line: --name value sets opts[name] (an int, or a string for the names in text), NAME=value
    goes to the service's environment, -h/--help prints usage. Returns (opts, the extra environment)."""
    extra = {}
    argv = sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a in ("-h", "--help"): sys.exit(usage)
        if a.startswith("--"): opts[a[2:]] = argv.pop(0) if a[2:] in text else int(argv.pop(0))
        else: k, v = a.split("=", 1); extra[k] = v
    return opts, extra
