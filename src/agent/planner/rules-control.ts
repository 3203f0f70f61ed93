/** Rules for the non-edit tools: export, credits, undo/redo, state, upload help (the seed's keyword table). */
import { call, type Rule } from './rule-kit.ts';

export const renderRule: Rule = {
  name: 'render',
  match: ({ clause }) =>
    /\b(export|download|render|publish)\b|导出|下载|渲染|输出视频|生成视频|出片/.test(clause.bare)
      ? {
          calls: [
            call('render', /\b(standard|draft|preview|low)\b|标清|预览/.test(clause.bare) ? { quality: 'medium' } : {}),
          ],
        }
      : null,
};

export const creditsRule: Rule = {
  name: 'credits',
  match: ({ clause }) =>
    /\bcredits?\b|\bbalance\b|积分|余额|点数/.test(clause.bare) ? { calls: [call('show_credits')] } : null,
};

export const undoRule: Rule = {
  name: 'undo',
  match: ({ clause }) => {
    const text = clause.bare;
    if (/\bredo\b|重做|恢复撤销|恢复上一步/.test(text)) return { calls: [call('redo')] };
    if (
      !/\bundo\b|\brevert\b|\bgo back\b|\btake (?:that|it) back\b|撤销|撤回|回退|返回上一步|退回|恢复原样|还原|刚才那个不要/.test(
        text,
      )
    )
      return null;
    const times = /\btwice\b/.test(text)
      ? 2
      : Number(/(\d+)\s*(?:steps?|edits?|changes?|times|步|次)/.exec(text)?.[1] ?? 1);
    return { calls: Array.from({ length: Math.min(Math.max(times, 1), 10) }, () => call('undo')) };
  },
};

export const stateRule: Rule = {
  name: 'state',
  fallback: true,
  match: ({ clause }) =>
    /\b(status|state|tracks?|timeline|summary|overview)\b|what(?:'s| is) (?:on|in)|show me|状态|轨道|时间线|进度|现在什么样/.test(
      clause.bare,
    )
      ? { calls: [call('show_state')] }
      : null,
};

export const uploadRule: Rule = {
  name: 'upload',
  fallback: true,
  match: ({ clause }) =>
    /\bupload(?!ed)|\bhow (?:do|can) i (?:add|send|give you) (?:files?|videos?|clips?)|上传(?!的)/.test(clause.bare)
      ? { calls: [call('upload_help')] }
      : null,
};
