"""Each read's time in the service as the kernel saw it (many_jobs.py --capture 1): tcpdump records, on loopback, the
data-carrying segments of the service's port; a read's service time is from the last segment of its request to the
last segment of its response. That is everything between the socket and the socket: waiting for Kestrel's I/O
thread and the thread pool, GC suspensions and the service's threads waiting for a core, which the service's own
request-duration figure (from routing to the end of the handler) leaves out, and none of the client's own delays.
Needs tcpdump (Debian: apt-get install tcpdump) and root."""
import os, signal, struct, subprocess, time


def start(port, path):
    """tcpdump of the port's segments with a payload (PSH set), headers only, written as they arrive."""
    proc = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-s", "96", "-w", path,
                             f"tcp port {port} and (tcp[tcpflags] & tcp-push != 0)"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None and (not os.path.exists(path) or os.path.getsize(path) < 24): time.sleep(0.05)
    time.sleep(0.2)  # the header is written as the filter is attached; a little margin
    return proc


def stop(proc):
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)


def segments(path):
    """(time s, source port, destination port) of each IPv4 TCP segment of a pcap file (Ethernet or raw link)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24: return []
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    scale = 1e-9 if magic in (0xa1b23c4d, 0x4d3cb2a1) else 1e-6
    link = struct.unpack(endian + "I", data[20:24])[0]
    skip = {1: 14, 101: 0, 113: 16, 276: 20}.get(link, 14)  # Ethernet, raw IP, Linux cooked v1 and v2
    out, at = [], 24
    while at + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[at:at + 16])
        packet = data[at + 16:at + 16 + caplen]
        at += 16 + caplen
        ip = packet[skip:]
        if len(ip) < 24 or ip[0] >> 4 != 4: continue
        tcp = ip[(ip[0] & 0x0F) * 4:]
        src, dst = struct.unpack(">HH", tcp[:4])
        out.append((sec + frac * scale, src, dst))
    return out


def service_times(path, service_port, client_port):
    """Per exchange on the client's connection: (time of its last request segment, ms from then to the last
    response segment)."""
    times, last_request, last_response = [], None, None
    for t, src, dst in segments(path):
        if src == client_port and dst == service_port:
            if last_response is not None: times.append((last_request, (last_response - last_request) * 1000)); last_response = None
            last_request = t
        elif src == service_port and dst == client_port and last_request is not None:
            last_response = t
    if last_response is not None: times.append((last_request, (last_response - last_request) * 1000))
    return times
