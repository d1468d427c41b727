#!/usr/bin/env python3
"""A fake OpenAI-compatible Chat Completions server for the LiveModel smoke run in .ci/run.

First request (no tool result yet): asks for the `temperature` tool for Oslo. Second: answers with the JSON the
example's schema asks for, built from the tool's result. Listens on 127.0.0.1:<port> (argv[1], default 18080) and
prints one line per request to stderr (max_tokens, tools, messages, whether a response_format was sent).
"""
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        sys.stderr.write("REQ max_tokens=%s tools=%d msgs=%d rf=%s\n" % (body.get('max_tokens'), len(body.get('tools',[])), len(body['messages']), 'response_format' in body))
        has_tool = any(m['role']=='tool' for m in body['messages'])
        if not has_tool:
            msg = {"role":"assistant","content":None,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"temperature","arguments":json.dumps({"city":"Oslo"})}}]}
            fr = "tool_calls"
        else:
            t = [m for m in body['messages'] if m['role']=='tool'][0]['content']
            msg = {"role":"assistant","content":json.dumps({"city":"Oslo","celsius":int(json.loads(t)),"advice":"Take a coat."})}
            fr = "stop"
        out = {"id":"x","object":"chat.completion","created":1,"model":body['model'],"choices":[{"index":0,"message":msg,"finish_reason":fr}],"usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70}}
        data = json.dumps(out).encode()
        self.send_response(200); self.send_header('Content-Type','application/json'); self.send_header('Content-Length',str(len(data))); self.end_headers(); self.wfile.write(data)
    def log_message(self,*a): pass
HTTPServer(('127.0.0.1', int(sys.argv[1]) if len(sys.argv) > 1 else 18080), H).serve_forever()
