// MAITRED_WEBHOOK_SECRET=whsec_… node receiver.mjs   (Node 20+, after: npm install express standardwebhooks)
import express from 'express';
import { Webhook } from 'standardwebhooks';
const webhook = new Webhook(process.env.MAITRED_WEBHOOK_SECRET), port = Number(process.env.PORT ?? 4010);
express()
  .post('/hooks/maitred', express.raw({ type: 'application/json' }), (req, res) => {
    let event;
    try { event = webhook.verify(req.body, req.headers); } catch { return res.sendStatus(401); } // signed raw bytes
    res.sendStatus(204); // acknowledge first, work after; webhook-id is the same on every retry: de-duplicate on it
    console.log(req.headers['webhook-id'], event.type, JSON.stringify(event.data));
  })
  .listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/hooks/maitred`));
