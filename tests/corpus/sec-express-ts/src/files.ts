import { Router } from "express";
import { exec, execFile } from "child_process";
import fs from "fs";
import path from "path";

const UPLOADS = "/var/lib/accounts/uploads";
export const files = Router();

files.get("/thumbnail", (req, res) => {
  exec(`convert ${req.query.name} -resize 64x64 /tmp/thumb.png`, (error) => { // expect: SEC-INJECTION
    if (error) {
      res.status(500).json({ error: "thumbnail failed" }); // lookalike: SEC-ERRLEAK
      return;
    }
    res.sendFile("/tmp/thumb.png");
  });
});

files.get("/version", (_req, res) => {
  exec("git rev-parse HEAD", (_e, out) => res.json({ version: out.trim() })); // lookalike: SEC-INJECTION
});

files.get("/convert", (req, res) => {
  execFile("convert", [String(req.query.name), "/tmp/out.png"], () => res.end()); // lookalike: SEC-INJECTION
});

files.get("/raw/:name", (req, res) => {
  fs.createReadStream(path.join(UPLOADS, req.params.name)).pipe(res); // expect: SEC-INJECTION
});

files.get("/safe/:name", (req, res) => {
  res.sendFile(req.params.name, { root: UPLOADS }); // lookalike: SEC-INJECTION
});

files.get("/plain/:name", (req, res) => {
  fs.createReadStream(path.join(UPLOADS, path.basename(req.params.name))).pipe(res); // lookalike: SEC-INJECTION
});

files.delete("/:name", async (req, res) => {
  try {
    await fs.promises.unlink(path.join(UPLOADS, req.params.name)); // expect: SEC-INJECTION
    res.status(204).end();
  } catch (e) {
    res.json({ success: false }); // expect: API-STATUS
  }
});
