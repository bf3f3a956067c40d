<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActionPalette</name>
    <message>
        <source>Type to find an action, Enter to log it</source>
        <translation>输入以查找操作，按 Enter 记录</translation>
    </message>
    <message>
        <source>Other actions</source>
        <translation>其他操作</translation>
    </message>
    <message>
        <source>Enter logs: {}</source>
        <translation>按 Enter 记录：{}</translation>
    </message>
    <message>
        <source>No action matches “{}”</source>
        <translation>没有与“{}”匹配的操作</translation>
    </message>
</context>
<context>
    <name>ArchiveBrowser</name>
    <message>
        <source>Search drills, scenarios, people, ids…</source>
        <translation>搜索演练、场景、人员、编号…</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Trainee name or staff id</source>
        <translation>学员姓名或工号</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参与者</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评价类型</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续演练</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签署</translation>
    </message>
    <message>
        <source>formative</source>
        <translation>形成性</translation>
    </message>
    <message>
        <source>summative</source>
        <translation>终结性</translation>
    </message>
    <message>
        <source>high-stakes</source>
        <translation>高利害</translation>
    </message>
    <message>
        <source>All scenarios</source>
        <translation>全部场景</translation>
    </message>
    <message>
        <source>{shown} of {total} drills</source>
        <translation>显示 {shown} / 共 {total} 次演练</translation>
    </message>
    <message>
        <source>Only a drill interrupted by a crash can be resumed</source>
        <translation>只有因程序崩溃而中断的演练才能继续</translation>
    </message>
</context>
<context>
    <name>AttachVideoDialog</name>
    <message>
        <source>Attach a video to this drill</source>
        <translation>为本次演练添加视频</translation>
    </message>
    <message>
        <source>Mark one moment that the video and the drill both show — the drill start on the monitor, a clap, the call for help: put the video at that moment, then say when it happened on the drill clock.</source>
        <translation>标记视频和演练中都出现的一个时刻——监护仪上的演练开始、一声拍手、呼救：把视频停在该时刻，再指出它在演练时钟上是何时。</translation>
    </message>
    <message>
        <source>File: {file}</source>
        <translation>文件：{file}</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>−1 s</source>
        <translation>−1 秒</translation>
    </message>
    <message>
        <source>−0.1 s</source>
        <translation>−0.1 秒</translation>
    </message>
    <message>
        <source>+0.1 s</source>
        <translation>+0.1 秒</translation>
    </message>
    <message>
        <source>+1 s</source>
        <translation>+1 秒</translation>
    </message>
    <message>
        <source> s</source>
        <comment>a number of seconds</comment>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Seconds from the video&apos;s first frame</source>
        <translation>从视频第一帧起的秒数</translation>
    </message>
    <message>
        <source>The drill&apos;s start ({t})</source>
        <translation>演练开始（{t}）</translation>
    </message>
    <message>
        <source>The drill&apos;s end ({t})</source>
        <translation>演练结束（{t}）</translation>
    </message>
    <message>
        <source>A drill time I type</source>
        <translation>手动输入演练时间</translation>
    </message>
    <message>
        <source>Seconds since the drill started</source>
        <translation>演练开始后的秒数</translation>
    </message>
    <message>
        <source>e.g. room camera, phone at the bed&apos;s foot</source>
        <translation>例如：房间摄像头、床尾的手机</translation>
    </message>
    <message>
        <source>In the video at</source>
        <translation>视频中的时间</translation>
    </message>
    <message>
        <source>On the drill clock</source>
        <translation>演练时钟上的时刻</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>{s} s: the video&apos;s first frame is at {t} of the drill</source>
        <translation>{s} 秒：视频第一帧位于演练的 {t}</translation>
    </message>
    <message>
        <source>{s} s: the video started {t} before the drill</source>
        <translation>{s} 秒：视频比演练早 {t} 开始</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>No picture: Qt Multimedia is not installed (the PySide6-Addons package). Read the moment&apos;s time off any video player and type it below.</source>
        <translation>无画面：未安装 Qt Multimedia（PySide6-Addons 软件包）。请用任意视频播放器读出该时刻的时间，并在下方输入。</translation>
    </message>
    <message>
        <source>No picture: {reason}. Type the moment&apos;s time in the video below; attaching checks that the file is a playable video.</source>
        <translation>无画面：{reason}。请在下方输入该时刻在视频中的时间；添加时会检查文件是否为可播放的视频。</translation>
    </message>
    <message>
        <source>Qt cannot play this file</source>
        <translation>Qt 无法播放此文件</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Checking and copying the video beside the archive… (a long recording takes a while)</source>
        <translation>正在检查视频并复制到档案库旁…（较长的录像需要一些时间）</translation>
    </message>
    <message>
        <source>Not attached: {reason}</source>
        <translation>未添加：{reason}</translation>
    </message>
</context>
<context>
    <name>BlockRatings</name>
    <message>
        <source>— not rated —</source>
        <translation>— 未评分 —</translation>
    </message>
    <message>
        <source>not observed</source>
        <translation>未观察到</translation>
    </message>
</context>
<context>
    <name>BloodLossPanel</name>
    <message>
        <source>{0} mL</source>
        <translation>{0} mL</translation>
    </message>
</context>
<context>
    <name>CameraControl</name>
    <message>
        <source>Record camera</source>
        <translation>摄像头录像</translation>
    </message>
    <message>
        <source>Record the room from a camera connected to this computer; the video is attached to the drill when it ends</source>
        <translation>用连接到本电脑的摄像头录制现场；演练结束时视频附加到演练</translation>
    </message>
    <message>
        <source>Looking for a camera…</source>
        <translation>正在查找摄像头…</translation>
    </message>
    <message>
        <source>No camera recording: this drill is not kept in an archive</source>
        <translation>无法录像：此演练未保存在档案库中</translation>
    </message>
    <message>
        <source>No camera found (Qt Multimedia is not installed)</source>
        <translation>未找到摄像头（未安装 Qt Multimedia）</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>未找到摄像头</translation>
    </message>
    <message>
        <source>Camera: {name}</source>
        <translation>摄像头：{name}</translation>
    </message>
    <message>
        <source>Cannot record: {reason}</source>
        <translation>无法录像：{reason}</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <source>Recording from {t:.0f} s of the drill</source>
        <translation>自演练第 {t:.0f} 秒起录像</translation>
    </message>
    <message>
        <source>The camera stopped: {reason}</source>
        <translation>摄像头已停止：{reason}</translation>
    </message>
    <message>
        <source>Recording kept; it is attached to the drill when the drill ends</source>
        <translation>录像已保存；演练结束时附加到演练</translation>
    </message>
    <message>
        <source>The recording was not attached ({reason}); it is kept at {file}</source>
        <translation>录像未附加（{reason}）；保存在 {file}</translation>
    </message>
    <message>
        <source>Camera recording attached to the drill</source>
        <translation>摄像头录像已附加到演练</translation>
    </message>
</context>
<context>
    <name>ConsoleView</name>
    <message>
        <source>PAUSED</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>End drill…</source>
        <translation>结束演练…</translation>
    </message>
    <message>
        <source>Discard drill…</source>
        <translation>作废演练…</translation>
    </message>
    <message>
        <source>Started by mistake? The drill is kept, marked discarded, and counts in no statistic.</source>
        <translation>误开始的演练？演练将保留并标记为已作废，不计入任何统计。</translation>
    </message>
    <message>
        <source>Go to state…</source>
        <translation>跳转到状态…</translation>
    </message>
    <message>
        <source>Manual transition:</source>
        <translation>手动切换：</translation>
    </message>
    <message>
        <source>Who did it</source>
        <translation>执行者</translation>
    </message>
    <message>
        <source>{role}: {name}</source>
        <translation>{role}：{name}</translation>
    </message>
    <message>
        <source>Keep this person for the next actions</source>
        <translation>后续操作保持此执行者</translation>
    </message>
    <message>
        <source>Show or hide the flags raised before the newest; every flag is also in the log and at the end of the drill</source>
        <translation>显示或隐藏最新警示之前的警示；每条警示也记录在日志中并在演练结束时列出</translation>
    </message>
    <message>
        <source>Undo last action</source>
        <translation>撤销上一操作</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>监护仪</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>心率</translation>
    </message>
    <message>
        <source>BP</source>
        <translation>血压</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>呼吸频率</translation>
    </message>
    <message>
        <source>EtCO₂</source>
        <translation>EtCO₂</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>Blood loss</source>
        <translation>出血量</translation>
    </message>
    <message>
        <source>Monitor window</source>
        <translation>监护仪窗口</translation>
    </message>
    <message>
        <source>Show or hide the trainees&apos; patient monitor</source>
        <translation>显示或隐藏学员看到的患者监护仪</translation>
    </message>
    <message>
        <source>To screen 2</source>
        <translation>投到屏幕 2</translation>
    </message>
    <message>
        <source>Show the monitor full-screen on the other screen (a projector or a second display)</source>
        <translation>在另一块屏幕（投影仪或第二显示器）上全屏显示监护仪</translation>
    </message>
    <message>
        <source>Blank</source>
        <translation>黑屏</translation>
    </message>
    <message>
        <source>Black out the monitor (a pause, a prebrief); logged</source>
        <translation>让监护仪黑屏（暂停或演练前介绍时），会记录在案</translation>
    </message>
    <message>
        <source>Show the calibrated blood-loss drape on the monitor, or hide it; logged</source>
        <translation>在监护仪上显示或隐藏失血计量单，会记录在案</translation>
    </message>
    <message>
        <source>Note for the debrief</source>
        <translation>复盘备注</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Only one screen is connected</source>
        <translation>只连接了一块屏幕</translation>
    </message>
    <message>
        <source>Next action credited to: nobody (unassigned)</source>
        <translation>下一操作记在：无人（未指定）</translation>
    </message>
    <message>
        <source>Next action credited to: {who}</source>
        <translation>下一操作记在：{who}</translation>
    </message>
    <message>
        <source>Manual transition</source>
        <translation>手动切换</translation>
    </message>
    <message>
        <source>Move the drill to “{}” now? This is logged as the instructor&apos;s decision.</source>
        <translation>现在将演练切换到“{}”？此操作将记录为导师的决定。</translation>
    </message>
    <message>
        <source>End drill</source>
        <translation>结束演练</translation>
    </message>
    <message>
        <source>End the drill now? The clock stops for good.</source>
        <translation>现在结束演练？计时将永久停止。</translation>
    </message>
    <message>
        <source>Discard drill</source>
        <translation>作废演练</translation>
    </message>
    <message>
        <source>Why is this drill discarded? (It stays in the archive, marked discarded, and counts in no indicator, portfolio or exam statistic.)</source>
        <translation>为何作废此演练？（演练仍保留在档案库中并标记为已作废，不计入任何指标、学员档案或考试统计。）</translation>
    </message>
    <message>
        <source>Not discarded: write why the drill is discarded (a discard needs a reason).</source>
        <translation>未作废：请写明作废此演练的理由（作废须附理由）。</translation>
    </message>
    <message>
        <source>Not discarded: {reason}</source>
        <translation>未作废：{reason}</translation>
    </message>
    <message>
        <source>The archive can be written again: everything kept in the journal is now in it.</source>
        <translation>档案库已恢复可写：日志中保存的所有记录现已写入档案库。</translation>
    </message>
    <message>
        <source>The archive cannot be written now. Every action is kept safely in the journal beside it and will be written to the archive when it can:</source>
        <translation>档案库当前无法写入。每项操作都已安全保存在档案库旁的日志中，可写入时将自动写入档案库：</translation>
    </message>
    <message>
        <source>The archive and the journal beside it cannot be written now. Every action is kept safely in the journal in your data folder and will be written to the archive when it can:</source>
        <translation>档案库及其旁边的日志当前均无法写入。每项操作都已安全保存在您的数据文件夹中的日志里，可写入时将自动写入档案库：</translation>
    </message>
    <message>
        <source>Nothing can be stored: the archive and its journals cannot be written. Actions are held in memory and NOT shown as logged until they are stored. Keep simtool open and free some disk space.</source>
        <translation>无法保存任何记录：档案库及其日志均无法写入。操作暂存于内存中，在保存之前不会显示为已记录。请保持 simtool 打开并释放磁盘空间。</translation>
    </message>
    <message>
        <source>{time}  {action}: {message}</source>
        <translation>{time}  {action}：{message}</translation>
    </message>
    <message>
        <source>Earlier flags: {n}</source>
        <translation>较早的警示：{n}</translation>
    </message>
    <message>
        <source>Phase: {}</source>
        <translation>阶段：{}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>ENDED</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Undo “{}”</source>
        <translation>撤销“{}”</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Strike “{}”</source>
        <translation>删除“{}”</translation>
    </message>
    <message>
        <source>Correct “{}”</source>
        <translation>更正“{}”</translation>
    </message>
    <message>
        <source>{role}: {name}</source>
        <translation>{role}：{name}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>Who did it</source>
        <translation>执行者</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途径</translation>
    </message>
    <message>
        <source>Drill time</source>
        <translation>演练时间</translation>
    </message>
    <message>
        <source>The action stays in the record, struck through, with your reason.</source>
        <translation>该操作仍保留在记录中，以删除线显示并附上您的理由。</translation>
    </message>
    <message>
        <source>Why the record changes (required)</source>
        <translation>记录更改的理由（必填）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Strike</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>The drill time must be written mm:ss.</source>
        <translation>演练时间须写作 分:秒（mm:ss）。</translation>
    </message>
    <message>
        <source>Write why the record changes: a correction needs a reason.</source>
        <translation>请写明记录更改的理由：更正须附理由。</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>未做任何更改。</translation>
    </message>
</context>
<context>
    <name>DateRange</name>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
</context>
<context>
    <name>DebriefView</name>
    <message>
        <source>{date} · {people} · {length} · blood loss {loss} mL</source>
        <translation>{date} · {people} · {length} · 出血量 {loss} mL</translation>
    </message>
    <message>
        <source>no participants</source>
        <translation>无参与者</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Next flag</source>
        <translation>下一个警示</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>心率</translation>
    </message>
    <message>
        <source>NIBP</source>
        <translation>无创血压</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>呼吸频率</translation>
    </message>
    <message>
        <source>EtCO₂</source>
        <translation>EtCO₂</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>Blood loss</source>
        <translation>出血量</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>HR (/min)</source>
        <translation>心率（次/分）</translation>
    </message>
    <message>
        <source>SBP (mmHg)</source>
        <translation>收缩压（mmHg）</translation>
    </message>
    <message>
        <source>SpO₂ (%)</source>
        <translation>SpO₂（%）</translation>
    </message>
    <message>
        <source>Blood loss (mL, right axis)</source>
        <translation>出血量（mL，右轴）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>执行者</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Event {n}, numbered on the chart</source>
        <translation>事件 {n}，已在图中标号</translation>
    </message>
    <message>
        <source>The record&apos;s event number, as the score sheet&apos;s evidence and the safety threats give it; in bold, the actions and flags numbered on the chart</source>
        <translation>记录中的事件号，与评分表依据和安全隐患中的编号一致；粗体为图中标号的操作和警示</translation>
    </message>
    <message>
        <source>No flags were raised in this drill.</source>
        <translation>本次演练未出现警示。</translation>
    </message>
    <message>
        <source>Go to the next flag</source>
        <translation>跳到下一个警示</translation>
    </message>
    <message>
        <source>Expected action</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>At this moment</source>
        <translation>此时</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>情绪反应</translation>
    </message>
    <message>
        <source>How are you feeling? What was that like? (Let every participant vent first.)</source>
        <translation>你现在感觉如何？刚才的经历怎么样？（先让每位参与者充分表达。）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Can someone summarise what the case was about and what happened?</source>
        <translation>谁能概括一下这个病例的情况和经过？</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>What went well and why? What would you change? Learner self-assessment, focused facilitation, directive feedback where needed.</source>
        <translation>哪些做得好，为什么？哪些需要改变？学员自评、重点引导，必要时给予指导性反馈。</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>总结</translation>
    </message>
    <message>
        <source>What are the take-home messages? What will you do differently next time?</source>
        <translation>主要收获是什么？下次你会怎样做得不同？</translation>
    </message>
    <message>
        <source>Reflection (trainee, optional)</source>
        <translation>反思（学员，可选）</translation>
    </message>
    <message>
        <source>In the trainee&apos;s own words: what did you learn, and what will you do differently?</source>
        <translation>请学员用自己的话说：你学到了什么？下次会有哪些不同的做法？</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Notes are saved in the archive as you type.</source>
        <translation>备注会在输入时自动保存到档案库。</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>PEARLS debrief</source>
        <translation>PEARLS 复盘</translation>
    </message>
    <message>
        <source>Safety threats</source>
        <translation>安全威胁</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>监护仪</translation>
    </message>
    <message>
        <source>Attach a video to this drill</source>
        <translation>为本次演练添加视频</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.mov *.m4v *.MP4 *.MOV);;All files (*)</source>
        <translation>视频 (*.mp4 *.mov *.m4v *.MP4 *.MOV);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>Notes could not be read: {reason}</source>
        <translation>无法读取备注：{reason}</translation>
    </message>
    <message>
        <source>Notes not saved: {reason}</source>
        <translation>备注未保存：{reason}</translation>
    </message>
    <message>
        <source>Notes saved.</source>
        <translation>备注已保存。</translation>
    </message>
</context>
<context>
    <name>DoseDialog</name>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Default: {} {}</source>
        <translation>默认：{} {}</translation>
    </message>
    <message>
        <source>For {} kg: {} {} ({} {}/kg)</source>
        <translation>按 {} kg 计：{} {}（{} {}/kg）</translation>
    </message>
    <message>
        <source>no conditions</source>
        <translation>无合并症</translation>
    </message>
    <message>
        <source>Patient: {weight} kg · {conditions}</source>
        <translation>患者：{weight} kg · {conditions}</translation>
    </message>
    <message>
        <source>Contraindicated for this patient ({conditions}). If it is logged, the drill flags it: “{message}”</source>
        <translation>此患者禁用（{conditions}）。若记录此操作，演练将发出警示：“{message}”</translation>
    </message>
    <message>
        <source>So far: {dose} {unit}</source>
        <translation>已用：{dose} {unit}</translation>
    </message>
    <message>
        <source>with the drugs sharing its limit: {dose} {unit}</source>
        <translation>与共用限量的药物合计：{dose} {unit}</translation>
    </message>
    <message>
        <source>at most {dose} {unit} in one dose ({route})</source>
        <translation>单次最多 {dose} {unit}（{route}）</translation>
    </message>
    <message>
        <source>at most {dose} {unit} in one dose</source>
        <translation>单次最多 {dose} {unit}</translation>
    </message>
    <message>
        <source>at most {dose} {unit} in all</source>
        <translation>累计最多 {dose} {unit}</translation>
    </message>
    <message>
        <source>Limit for this patient: {}</source>
        <translation>该患者限量：{}</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>{low} – {high} {unit}</source>
        <translation>{low} – {high} {unit}</translation>
    </message>
    <message>
        <source>up to {high} {unit}</source>
        <translation>最多 {high} {unit}</translation>
    </message>
    <message>
        <source>from {low} {unit}</source>
        <translation>至少 {low} {unit}</translation>
    </message>
    <message>
        <source>Usual single dose, any route: {}</source>
        <translation>常用单次剂量（任何途径）：{}</translation>
    </message>
    <message>
        <source>Usual single dose: {}</source>
        <translation>常用单次剂量：{}</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途径</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Enter the dose given: a drug is logged with a dose above zero.</source>
        <translation>请输入实际给药剂量：药物须以大于零的剂量记录。</translation>
    </message>
</context>
<context>
    <name>EndOfDrillView</name>
    <message>
        <source>End of drill — {scenario}</source>
        <translation>演练结束——{scenario}</translation>
    </message>
    <message>
        <source>Final state: {state} · duration {t} · blood loss {loss} mL</source>
        <translation>最终状态：{state} · 时长 {t} · 出血量 {loss} mL</translation>
    </message>
    <message>
        <source>⚠ Safety flags: {n}</source>
        <translation>⚠ 安全警示：{n}</translation>
    </message>
    <message>
        <source>Critical item missed: {}</source>
        <translation>未达成关键项：{}</translation>
    </message>
    <message>
        <source>{time}  {action}: {message}</source>
        <translation>{time}  {action}：{message}</translation>
    </message>
    <message>
        <source>✗ Critical items failed: {n}</source>
        <translation>✗ 关键项目未达标：{n}</translation>
    </message>
    <message>
        <source>Actions logged with nobody credited: {n} — correct them in the drill&apos;s log</source>
        <translation>未指定执行者的操作：{n}——请在演练记录中更正</translation>
    </message>
    <message>
        <source>This drill was discarded: {reason}. It is kept in the archive and counts in no statistic.</source>
        <translation>此演练已作废：{reason}。演练保留在档案库中，不计入任何统计。</translation>
    </message>
    <message>
        <source>Expected action</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>未到达</translation>
    </message>
    <message>
        <source>Score…</source>
        <translation>评分…</translation>
    </message>
    <message>
        <source>No rubric chosen for this drill</source>
        <translation>本次演练未选择评分表</translation>
    </message>
    <message>
        <source>Open debrief</source>
        <translation>打开复盘</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>Process indicators</source>
        <translation>过程指标</translation>
    </message>
    <message>
        <source>Critical item failed: {action} given at {time}, against “{item}”</source>
        <translation>关键项目未达标：{time} 给予了{action}，违反“{item}”</translation>
    </message>
    <message>
        <source>Critical item failed: “{item}”</source>
        <translation>关键项目未达标：“{item}”</translation>
    </message>
    <message>
        <source>Scoring — {rubric}</source>
        <translation>评分——{rubric}</translation>
    </message>
</context>
<context>
    <name>ExamView</name>
    <message>
        <source>Start exam</source>
        <translation>开始考试</translation>
    </message>
    <message>
        <source>Start the exam clock now and record every sitting; the marking server counts its rounds from it</source>
        <translation>立即启动考试计时并记录每个考站场次；评分服务器据此计算轮次</translation>
    </message>
    <message>
        <source>Close exam</source>
        <translation>结束考试</translation>
    </message>
    <message>
        <source>No more marks are taken</source>
        <translation>不再接收评分</translation>
    </message>
    <message>
        <source>Release results</source>
        <translation>公布成绩</translation>
    </message>
    <message>
        <source>Candidates may see their results; the results PDFs can be printed</source>
        <translation>考生可查看成绩；可打印成绩 PDF</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>The schedule per station and per candidate as a PDF</source>
        <translation>按考站和按考生的日程表（PDF）</translation>
    </message>
    <message>
        <source>OSCE exam day</source>
        <translation>OSCE 考试日</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>考试</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>考站</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>考生</translation>
    </message>
    <message>
        <source>Competency</source>
        <translation>能力</translation>
    </message>
    <message>
        <source>Sampled by</source>
        <translation>考查该能力的考站</translation>
    </message>
    <message>
        <source>By station</source>
        <translation>按考站</translation>
    </message>
    <message>
        <source>By candidate</source>
        <translation>按考生</translation>
    </message>
    <message>
        <source>Blueprint</source>
        <translation>考试蓝图</translation>
    </message>
    <message>
        <source>Master clock</source>
        <translation>主计时器</translation>
    </message>
    <message>
        <source>Examiners join</source>
        <translation>考官加入</translation>
    </message>
    <message>
        <source>4 to 12 digits</source>
        <translation>4 至 12 位数字</translation>
    </message>
    <message>
        <source>Serve marking page</source>
        <translation>开启评分页面</translation>
    </message>
    <message>
        <source>Serve the examiners&apos; marking page on this address (starts the exam clock if it has not started)</source>
        <translation>在此地址开启考官评分页面（若考试计时尚未开始则同时开始）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>No exams in the archive (simtool exam create EXAM.yaml)</source>
        <translation>档案库中没有考试（simtool exam create EXAM.yaml）</translation>
    </message>
    <message>
        <source>Started %1: times are on the exam clock</source>
        <translation>已于 %1 开始：时间按考试计时</translation>
    </message>
    <message>
        <source>Not started: times are planned from the file&apos;s start %1</source>
        <translation>尚未开始：时间按文件中的开始时间 %1 计划</translation>
    </message>
    <message>
        <source>Not started: times count from the start</source>
        <translation>尚未开始：时间自开始时计算</translation>
    </message>
    <message>
        <source>%1 rounds: reading %2, station %3, changeover %4. %5</source>
        <translation>共 %1 轮：阅读 %2，考站 %3，换站 %4。%5</translation>
    </message>
    <message>
        <source>rest</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>no station samples it</source>
        <translation>没有考站考查此项</translation>
    </message>
    <message>
        <source>Results released.</source>
        <translation>成绩已公布。</translation>
    </message>
    <message>
        <source>The exam is closed: no more marks are taken.</source>
        <translation>考试已结束：不再接收评分。</translation>
    </message>
    <message>
        <source>Examiners scan the code and enter the PIN. The same from the command line:</source>
        <translation>考官扫描二维码并输入 PIN 码。命令行中的等效操作：</translation>
    </message>
    <message>
        <source>Give the exam a PIN of 4 to 12 digits first.</source>
        <translation>请先为考试设置 4 至 12 位数字的 PIN 码。</translation>
    </message>
    <message>
        <source>Marking page served at %1 (examiners join with the PIN).</source>
        <translation>评分页面已在 %1 开启（考官凭 PIN 码加入）。</translation>
    </message>
    <message>
        <source>Stop marking page</source>
        <translation>关闭评分页面</translation>
    </message>
    <message>
        <source>The marking page is stopped.</source>
        <translation>评分页面已关闭。</translation>
    </message>
    <message>
        <source>Start the exam clock now? It is written once and cannot be moved.</source>
        <translation>立即启动考试计时？开始时间只记录一次，不可更改。</translation>
    </message>
    <message>
        <source>Recording every sitting of the exam…</source>
        <translation>正在记录考试的每个考站场次…</translation>
    </message>
    <message>
        <source>Close the exam? No more marks are taken.</source>
        <translation>结束考试？之后不再接收评分。</translation>
    </message>
    <message>
        <source>Release the results to the candidates?</source>
        <translation>向考生公布成绩？</translation>
    </message>
    <message>
        <source>Print schedule</source>
        <translation>打印日程表</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Schedule written to %1</source>
        <translation>日程表已写入 %1</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>计划开始</translation>
    </message>
    <message>
        <source>Starts in</source>
        <translation>距开始</translation>
    </message>
    <message>
        <source>Reading time</source>
        <translation>阅读时间</translation>
    </message>
    <message>
        <source>Station time</source>
        <translation>考站时间</translation>
    </message>
    <message>
        <source>Changeover</source>
        <translation>换站</translation>
    </message>
    <message>
        <source>Exam over</source>
        <translation>考试结束</translation>
    </message>
    <message>
        <source>Reading: read the task at the door</source>
        <translation>阅读：在考站门口阅读题目</translation>
    </message>
    <message>
        <source>Start: enter the station</source>
        <translation>开始：进入考站</translation>
    </message>
    <message>
        <source>One minute left</source>
        <translation>还剩一分钟</translation>
    </message>
    <message>
        <source>Change: move to the next station</source>
        <translation>换站：前往下一个考站</translation>
    </message>
    <message>
        <source>The exam is over</source>
        <translation>考试已结束</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>尚未开始</translation>
    </message>
    <message>
        <source>Round %1 of %2</source>
        <translation>第 %1 轮，共 %2 轮</translation>
    </message>
</context>
<context>
    <name>ExpectedList</name>
    <message>
        <source>Expected action</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>{} left</source>
        <translation>剩余 {}</translation>
    </message>
    <message>
        <source>done at {}</source>
        <translation>完成于 {}</translation>
    </message>
    <message>
        <source>by {}</source>
        <translation>截止 {}</translation>
    </message>
</context>
<context>
    <name>ExportBar</name>
    <message>
        <source>Export score sheet…</source>
        <translation>导出评分表…</translation>
    </message>
    <message>
        <source>Export debrief PDF…</source>
        <translation>导出复盘 PDF…</translation>
    </message>
    <message>
        <source>Key frames from the video</source>
        <translation>视频关键画面</translation>
    </message>
    <message>
        <source>Put the video&apos;s picture at each flag beside it in the debrief PDF (needs a video attached to the drill)</source>
        <translation>在复盘 PDF 中每条警示旁放入该时刻的视频画面（需为演练附加视频）</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>{file} already exists. Replace it?</source>
        <translation>{file} 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>导出失败：{reason}</translation>
    </message>
</context>
<context>
    <name>IndicatorChart</name>
    <message>
        <source>Click a quarter to list its drills that missed the target</source>
        <translation>点击某一季度，列出该季度未达标的演练</translation>
    </message>
    <message>
        <source>no compliance target</source>
        <translation>无达标率目标</translation>
    </message>
    <message>
        <source>compliance target &gt; %1 %</source>
        <translation>达标率目标 &gt; %1%</translation>
    </message>
    <message>
        <source>No drills in this range</source>
        <translation>此范围内没有演练</translation>
    </message>
    <message>
        <source>target %1</source>
        <translation>目标 %1</translation>
    </message>
    <message>
        <source>too few drills</source>
        <translation>演练次数过少</translation>
    </message>
    <message>
        <source>none done</source>
        <translation>均未完成</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>median (line), p25–p75 (band), compliance and n under each quarter</source>
        <translation>中位数（线）、p25–p75（带），各季度下方为达标率和 n</translation>
    </message>
</context>
<context>
    <name>LabCard</name>
    <message>
        <source>Laboratory</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Send labs</source>
        <translation>送检</translation>
    </message>
    <message>
        <source>Log a blood sample sent for the full panel; the results come back after the scenario&apos;s turnaround time</source>
        <translation>记录一份送检的全套血标本；结果在本场景设定的回报时间后返回</translation>
    </message>
    <message>
        <source>{back} (sample of {drawn})</source>
        <translation>{back}（{drawn}送检）</translation>
    </message>
    <message>
        <source>sample of {drawn}, due {due}</source>
        <translation>{drawn}送检，预计{due}回报</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>尚无结果</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Read and check every file again (F5)</source>
        <translation>重新读取并检查所有文件（F5）</translation>
    </message>
    <message>
        <source>Select a scenario to see what it teaches and to run it.</source>
        <translation>选择一个场景，查看其教学内容并运行。</translation>
    </message>
    <message>
        <source>The folder could not be read: {error}</source>
        <translation>无法读取该文件夹：{error}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Scenarios&lt;/b&gt; in {folder}</source>
        <translation>{folder} 中的&lt;b&gt;场景&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Action catalogue ({file})</source>
        <translation>操作目录（{file}）</translation>
    </message>
    <message>
        <source>Checking {n} files…</source>
        <translation>正在检查 {n} 个文件…</translation>
    </message>
    <message>
        <source>Folder not found.</source>
        <translation>找不到文件夹。</translation>
    </message>
    <message>
        <source>No scenario files (*.yaml) in this folder.</source>
        <translation>此文件夹中没有场景文件（*.yaml）。</translation>
    </message>
    <message>
        <source>{valid} of {n} files valid</source>
        <translation>{n} 个文件中 {valid} 个有效</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>valid · {n} actions</source>
        <translation>有效 · {n} 项操作</translation>
    </message>
    <message>
        <source>not a scenario</source>
        <translation>不是场景文件</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>1 problem</source>
        <translation>1 个问题</translation>
    </message>
    <message>
        <source>{n} problems</source>
        <translation>{n} 个问题</translation>
    </message>
    <message>
        <source>Checking {file}…</source>
        <translation>正在检查 {file}…</translation>
    </message>
    <message>
        <source>{count} in {file}</source>
        <translation>{file} 中有 {count}</translation>
    </message>
    <message>
        <source>This scenario cannot be run until they are fixed.</source>
        <translation>修正这些问题之前无法运行此场景。</translation>
    </message>
    <message>
        <source>Every scenario that uses this catalogue is invalid until they are fixed.</source>
        <translation>修正这些问题之前，使用此目录的所有场景均无效。</translation>
    </message>
    <message>
        <source>Each line reads FILE:LINE: field: message, exactly as “simtool validate” prints it. Fix the file, then press Reload.</source>
        <translation>每行格式为 文件:行号: 字段: 信息，与“simtool validate”的输出完全一致。修改文件后按“重新加载”。</translation>
    </message>
</context>
<context>
    <name>LiveFlow</name>
    <message>
        <source>Resume interrupted drill?</source>
        <translation>继续已中断的演练？</translation>
    </message>
    <message>
        <source>A drill of {scenario} started {started} ({people}) was interrupted. Carry on with it?</source>
        <translation>于 {started} 开始的“{scenario}”演练（{people}）已中断。是否继续？</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>执行者</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Strike…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>{role}: {name}</source>
        <translation>{role}：{name}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>Note: {}</source>
        <translation>备注：{}</translation>
    </message>
    <message>
        <source>Moved to “{}”</source>
        <translation>切换至“{}”</translation>
    </message>
    <message>
        <source>Drill ended</source>
        <translation>演练结束</translation>
    </message>
    <message>
        <source>Blood-loss drape shown</source>
        <translation>已显示失血计量</translation>
    </message>
    <message>
        <source>Blood-loss drape hidden</source>
        <translation>已隐藏失血计量</translation>
    </message>
    <message>
        <source>Monitor blanked</source>
        <translation>监护仪黑屏</translation>
    </message>
    <message>
        <source>Monitor shown again</source>
        <translation>监护仪恢复显示</translation>
    </message>
    <message>
        <source>{n} flags</source>
        <translation>{n} 项警示</translation>
    </message>
    <message>
        <source>struck</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>corrected</source>
        <translation>已更正</translation>
    </message>
    <message>
        <source>Logged at {time}: {what}</source>
        <translation>{time} 记录：{what}</translation>
    </message>
    <message>
        <source>{what} at {time} by {who}: {why}</source>
        <translation>{time} 由 {who} {what}：{why}</translation>
    </message>
    <message>
        <source>Struck</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>更正</translation>
    </message>
</context>
<context>
    <name>LogbookEntryDialog</name>
    <message>
        <source>Add logbook entry</source>
        <translation>添加病例登记</translation>
    </message>
    <message>
        <source>Staff id of the supervisor</source>
        <translation>上级医师工号</translation>
    </message>
    <message>
        <source>Anonymous, e.g. C-0142: no name, no record number</source>
        <translation>匿名，例如 C-0142：不得填写姓名或病历号</translation>
    </message>
    <message>
        <source>None, or what happened</source>
        <translation>无，或所发生的情况</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>上级医师</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院区</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>病例编号（匿名）</translation>
    </message>
    <message>
        <source>Complications</source>
        <translation>并发症</translation>
    </message>
    <message>
        <source>The entry counts once the supervisor countersigns it.</source>
        <translation>上级医师签字确认后，该登记才计入。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Start live drill…</source>
        <translation>开始实时演练…</translation>
    </message>
    <message>
        <source>Set up the team and run the selected scenario live, with the patient monitor and the archive</source>
        <translation>设置团队并实时运行所选场景，同时使用患者监护仪和档案库</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>档案库</translation>
    </message>
    <message>
        <source>Every recorded drill: open its debrief, resume an interrupted one</source>
        <translation>所有已记录的演练：打开复盘，或继续已中断的演练</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Department indicators by quarter, against their targets</source>
        <translation>科室各季度指标及其目标</translation>
    </message>
    <message>
        <source>PDCA</source>
        <translation>PDCA</translation>
    </message>
    <message>
        <source>The quarter&apos;s quality cycle: indicators, safety threats, corrective actions and the decision</source>
        <translation>本季度质控循环：指标、安全威胁、改进措施与决定</translation>
    </message>
    <message>
        <source>Portfolio</source>
        <translation>学习档案</translation>
    </message>
    <message>
        <source>One trainee&apos;s drills, times and scores over time</source>
        <translation>单个学员的历次演练、用时和得分</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>培训进度</translation>
    </message>
    <message>
        <source>One trainee against a training programme: requirements done and missing, cleared to work</source>
        <translation>单个学员对照培训方案：已完成和尚缺的要求，是否准予上岗</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>考站</translation>
    </message>
    <message>
        <source>Skills stations: score a candidate at a timed station</source>
        <translation>技能考站：为计时考站中的考生评分</translation>
    </message>
    <message>
        <source>Exam day</source>
        <translation>考试日</translation>
    </message>
    <message>
        <source>OSCE exam day: schedule, join code, master clock, start, close and release</source>
        <translation>OSCE 考试日：日程、加入码、主计时器、开始、结束与公布成绩</translation>
    </message>
    <message>
        <source>Real case…</source>
        <translation>真实病例…</translation>
    </message>
    <message>
        <source>Enter a real case&apos;s timeline after the event: judged by the same indicators, reported beside the drills</source>
        <translation>事后录入真实病例的时间线：按相同指标评判，与演练并列报告</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>场景库</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Read and check every scenario file again</source>
        <translation>重新读取并检查所有场景文件</translation>
    </message>
    <message>
        <source>Open scenarios folder…</source>
        <translation>打开场景文件夹…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Language of the interface and of the scenario texts</source>
        <translation>界面和场景文本的语言</translation>
    </message>
    <message>
        <source>A drill is under way: its console is shown again. End it before starting another.</source>
        <translation>有一场演练正在进行：已重新显示其控制台。请先结束它，再开始新的演练。</translation>
    </message>
    <message>
        <source>Select a valid scenario first.</source>
        <translation>请先选择一个有效的场景。</translation>
    </message>
    <message>
        <source>Open a scenarios folder</source>
        <translation>打开场景文件夹</translation>
    </message>
    <message>
        <source>Played {minutes} min of drill time.</source>
        <translation>已运行 {minutes} 分钟演练时间。</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Override: {item}</source>
        <translation>人工更改：{item}</translation>
    </message>
    <message>
        <source>Keep the automatic result ({status})</source>
        <translation>保留自动结果（{status}）</translation>
    </message>
    <message>
        <source>Why the record&apos;s result is wrong here (required, kept with the sheet)</source>
        <translation>说明记录结果为何有误（必填，随评分表保存）</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>write the reason the record&apos;s result is wrong here</source>
        <translation>请填写理由：说明记录结果为何有误</translation>
    </message>
    <message>
        <source>This override cannot be kept: {why}</source>
        <translation>无法保存此更改：{why}</translation>
    </message>
</context>
<context>
    <name>PatientMonitor</name>
    <message>
        <source>Patient monitor</source>
        <translation>患者监护仪</translation>
    </message>
    <message>
        <source>ECG II</source>
        <translation>ECG II</translation>
    </message>
    <message>
        <source>Pleth</source>
        <translation>脉搏波</translation>
    </message>
    <message>
        <source>CO₂</source>
        <translation>CO₂</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>HR</translation>
    </message>
    <message>
        <source>bpm</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>EtCO₂</source>
        <translation>EtCO₂</translation>
    </message>
    <message>
        <source>mmHg</source>
        <translation>mmHg</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>RR</translation>
    </message>
    <message>
        <source>rpm</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>NIBP</source>
        <translation>NIBP</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>°C</source>
        <translation>°C</translation>
    </message>
    <message>
        <source>Blood loss · calibrated drape</source>
        <translation>出血量 · 刻度集血袋</translation>
    </message>
    <message>
        <source>SOUND OFF</source>
        <translation>声音关闭</translation>
    </message>
    <message>
        <source>Alarm tones are not available: {0}</source>
        <translation>无法播放报警音：{0}</translation>
    </message>
    <message>
        <source>NIBP now (N)</source>
        <translation>立即测血压（N）</translation>
    </message>
    <message>
        <source>Measure the blood pressure now</source>
        <translation>立即测量无创血压</translation>
    </message>
    <message>
        <source>Silence 2 min (S)</source>
        <translation>静音 2 分钟（S）</translation>
    </message>
    <message>
        <source>Pause the alarm tones for two minutes; the alarms keep flashing</source>
        <translation>报警音暂停两分钟；报警仍会闪烁</translation>
    </message>
    <message>
        <source>at {0}</source>
        <translation>于 {0}</translation>
    </message>
    <message>
        <source>every {0} min</source>
        <translation>每 {0} 分钟</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Sinus</source>
        <translation>窦性心律</translation>
    </message>
    <message>
        <source>Sinus tachy</source>
        <translation>窦性心动过速</translation>
    </message>
    <message>
        <source>Sinus brady</source>
        <translation>窦性心动过缓</translation>
    </message>
    <message>
        <source>Wide QRS</source>
        <translation>宽QRS波</translation>
    </message>
    <message>
        <source>V-Tach</source>
        <translation>室性心动过速</translation>
    </message>
    <message>
        <source>V-Fib</source>
        <translation>心室颤动</translation>
    </message>
    <message>
        <source>Asystole</source>
        <translation>心脏停搏</translation>
    </message>
    <message>
        <source>NIBP sys</source>
        <translation>无创收缩压</translation>
    </message>
    <message>
        <source>NIBP dia</source>
        <translation>无创舒张压</translation>
    </message>
    <message>
        <source>NIBP mean</source>
        <translation>无创平均压</translation>
    </message>
    <message>
        <source>{0} high</source>
        <translation>{0} 过高</translation>
    </message>
    <message>
        <source>{0} low</source>
        <translation>{0} 过低</translation>
    </message>
    <message>
        <source>AUDIO PAUSED {0}</source>
        <translation>报警音暂停 {0}</translation>
    </message>
</context>
<context>
    <name>PdcaView</name>
    <message>
        <source>Whole archive</source>
        <translation>整个档案库</translation>
    </message>
    <message>
        <source>PDCA quality cycle</source>
        <translation>PDCA 质控循环</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Check: indicators against their targets</source>
        <translation>检查（C）：指标与目标对比</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>措施</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>完成时限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Drill</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>Plan and do: corrective actions</source>
        <translation>计划与执行（P/D）：改进措施</translation>
    </message>
    <message>
        <source>Latent safety threats found this quarter</source>
        <translation>本季度发现的潜在安全威胁</translation>
    </message>
    <message>
        <source>Standardise: adopt the change as the standard</source>
        <translation>标准化：将改进纳入标准流程</translation>
    </message>
    <message>
        <source>Start another PDCA cycle</source>
        <translation>开始新一轮 PDCA 循环</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Choose the decision</source>
        <translation>请选择决定</translation>
    </message>
    <message>
        <source>What was decided, and why</source>
        <translation>决定内容及理由</translation>
    </message>
    <message>
        <source>Record decision</source>
        <translation>记录决定</translation>
    </message>
    <message>
        <source>Act: the decision</source>
        <translation>处理（A）：决定</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The quarter could not be read: {reason}</source>
        <translation>无法读取该季度：{reason}</translation>
    </message>
    <message>
        <source>Target per drill</source>
        <translation>单次演练目标</translation>
    </message>
    <message>
        <source>Target share</source>
        <translation>达标率目标</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>No ended drill in these quarters: no indicator to check.</source>
        <translation>这几个季度没有已结束的演练：无指标可检查。</translation>
    </message>
    <message>
        <source>Alerts in {q}:</source>
        <translation>{q} 预警：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Below target in {q}:</source>
        <translation>{q} 低于目标：</translation>
    </message>
    <message>
        <source>{open} open, {overdue} overdue, {done} done</source>
        <translation>进行中 {open} 项，已逾期 {overdue} 项，已完成 {done} 项</translation>
    </message>
    <message>
        <source>No decision recorded for {q} yet.</source>
        <translation>{q} 尚未记录决定。</translation>
    </message>
    <message>
        <source>drill %1</source>
        <translation>演练 %1</translation>
    </message>
    <message>
        <source>Not recorded: choose the decision first.</source>
        <translation>未记录：请先选择决定。</translation>
    </message>
    <message>
        <source>Not recorded: {reason}</source>
        <translation>未记录：{reason}</translation>
    </message>
    <message>
        <source>Decision recorded.</source>
        <translation>决定已记录。</translation>
    </message>
</context>
<context>
    <name>PrebriefView</name>
    <message>
        <source>Objectives</source>
        <translation>学习目标</translation>
    </message>
    <message>
        <source>Briefing</source>
        <translation>简介</translation>
    </message>
    <message>
        <source>Weight: {} kg</source>
        <translation>体重：{} kg</translation>
    </message>
    <message>
        <source>Conditions: {}</source>
        <translation>合并症：{}</translation>
    </message>
    <message>
        <source>none known</source>
        <translation>无已知合并症</translation>
    </message>
    <message>
        <source>Course: {}</source>
        <translation>病程：{}</translation>
    </message>
    <message>
        <source>The patient</source>
        <translation>患者情况</translation>
    </message>
    <message>
        <source>No timed actions.</source>
        <translation>无计时操作。</translation>
    </message>
    <message>
        <source>Scoring sheet: {}</source>
        <translation>评分表：{}</translation>
    </message>
    <message>
        <source>You will be assessed on</source>
        <translation>考核内容</translation>
    </message>
    <message>
        <source>This drill is assessed ({kind}). The checklist is with the examiner.</source>
        <translation>本次演练为考核（{kind}）。评分清单由考官掌握。</translation>
    </message>
    <message>
        <source>summative</source>
        <translation>终结性</translation>
    </message>
    <message>
        <source>high-stakes</source>
        <translation>高利害</translation>
    </message>
    <message>
        <source>Show the checklist (instructor only)</source>
        <translation>显示评分清单（仅限导师）</translation>
    </message>
    <message>
        <source>Start drill</source>
        <translation>开始演练</translation>
    </message>
    <message>
        <source>Back to setup</source>
        <translation>返回设置</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Back to the scenario library; no drill is started</source>
        <translation>返回场景库；不会开始演练</translation>
    </message>
</context>
<context>
    <name>QualityDashboard</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Drills</source>
        <translation>演练次数</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>p25–p75</source>
        <translation>p25–p75</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>达标率</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Drills that missed a target</source>
        <translation>未达标的演练</translation>
    </message>
    <message>
        <source>Show all quarters</source>
        <translation>显示所有季度</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Count only the drills run at this hospital</source>
        <translation>只统计在该医院进行的演练</translation>
    </message>
    <message>
        <source>A quarter with fewer drills than this shows no median or compliance, and no trend is drawn through it</source>
        <translation>演练次数少于此数的季度不显示中位数和达标率，趋势线也不经过该季度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Drill calendar</source>
        <translation>演练日历</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Next due</source>
        <translation>下次到期</translation>
    </message>
    <message>
        <source>Drill</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>Min. drills</source>
        <translation>最少演练次数</translation>
    </message>
    <message>
        <source>By quarter</source>
        <translation>按季度</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Last done</source>
        <translation>上次完成</translation>
    </message>
    <message>
        <source>By period</source>
        <translation>按期间</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>全部院区</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部科室</translation>
    </message>
    <message>
        <source>%1: compliance below its target (&gt; %2 %) in %3 and %4 (%5 → %6)</source>
        <translation>%1：%3 与 %4 达标率连续低于目标（&gt; %2%）（%5 → %6）</translation>
    </message>
    <message>
        <source>%1: median time above its target (%2) in %3 and %4 (%5 → %6)</source>
        <translation>%1：%3 与 %4 中位时间连续超过目标（%2）（%5 → %6）</translation>
    </message>
    <message>
        <source>%1: compliance fell %2 points from %3 to %4 (%5 → %6)</source>
        <translation>%1：达标率自 %3 至 %4 下降 %2 个百分点（%5 → %6）</translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n 条预警</numerusform>
        </translation>
    </message>
    <message>
        <source>… and %1 more (hover to see them all)</source>
        <translation>……另有 %1 条（悬停查看全部）</translation>
    </message>
    <message>
        <source>An alert: an indicator below its compliance target, or its median time above its target, in two consecutive periods, or its compliance falling by more than %1 points from one period to the next.</source>
        <translation>预警：某指标连续两个周期达标率低于目标或中位时间超过目标，或达标率较上一周期下降超过 %1 个百分点。</translation>
    </message>
    <message numerus="yes">
        <source>%n drill(s) in the range</source>
        <translation>
            <numerusform>范围内共 %n 次演练</numerusform>
        </translation>
    </message>
    <message>
        <source>No ended drills in this range</source>
        <translation>此范围内没有已结束的演练</translation>
    </message>
    <message>
        <source>A skills station has no process indicators: its sittings are marked on score sheets (see the trainee&apos;s portfolio and progress).</source>
        <translation>技能考站没有过程指标：考站成绩记录在评分表上（见学员的学习档案和培训进度）。</translation>
    </message>
    <message>
        <source>This scenario has no process indicators to chart.</source>
        <translation>此场景没有可绘制的过程指标。</translation>
    </message>
    <message>
        <source>%1 % (%2 of %3)</source>
        <translation>%1 %（%3 次中 %2 次）</translation>
    </message>
    <message>
        <source>too few drills (n=%1)</source>
        <translation>演练次数过少（n=%1）</translation>
    </message>
    <message>
        <source>%1 per drill; &gt; %2 % of drills</source>
        <translation>每次演练 %1；达标演练比例 &gt; %2%</translation>
    </message>
    <message>
        <source>%1 per drill; no compliance target</source>
        <translation>每次演练 %1；无达标率目标</translation>
    </message>
    <message>
        <source>Source of the compliance target: %1</source>
        <translation>达标率目标来源：%1</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>未给出</translation>
    </message>
    <message>
        <source>Drills that missed a target (%1)</source>
        <translation>未达标的演练（%1）</translation>
    </message>
    <message>
        <source>Drills that missed: %1, %2 (%3)</source>
        <translation>未达标的演练：%1，%2（%3）</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Double-click to open the drill&apos;s debrief</source>
        <translation>双击打开该演练的复盘</translation>
    </message>
    <message>
        <source>Drill calendar: %1 due or overdue</source>
        <translation>演练日历：%1 项到期或逾期</translation>
    </message>
    <message>
        <source>Drills the training programmes require of each department and site. Due: within a month of the next due day; overdue: past it, or never done. Discarded drills do not count.</source>
        <translation>培训方案要求各科室和院区进行的演练。到期：距下次到期日一个月以内；逾期：已过到期日或从未进行。已作废的演练不计入。</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>%1 (no site)</source>
        <translation>%1（未记录院区）</translation>
    </message>
    <message>
        <source>Drills recorded without a site are counted apart from the department&apos;s drills at a site: record the site when a drill starts.</source>
        <translation>未记录院区的演练与该科室在院区的演练分开统计：请在演练开始时填写院区。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>last done %1</source>
        <translation>上次进行 %1</translation>
    </message>
    <message>
        <source>never done</source>
        <translation>从未进行</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>%1 — every %2 months (%3); %4</source>
        <translation>%1——每 %2 个月（%3）；%4</translation>
    </message>
    <message>
        <source>The drill calendar cannot be shown: %1</source>
        <translation>无法显示演练日历：%1</translation>
    </message>
    <message>
        <source>No drill is due or overdue.</source>
        <translation>没有到期或逾期的演练。</translation>
    </message>
    <message>
        <source>Not tracked (the programme names no scenario for it): %1, every %2 months</source>
        <translation>未跟踪（培训方案未指定场景）：%1，每 %2 个月</translation>
    </message>
</context>
<context>
    <name>RealCaseView</name>
    <message>
        <source>Real case</source>
        <translation>真实病例</translation>
    </message>
    <message>
        <source>A real case&apos;s timeline, entered after the event: judged by the scenario&apos;s indicators (listed below, case by case), never counted as a drill. No names: who acted is a role, and the case reference must be anonymous.</source>
        <translation>真实病例的时间线，事后录入：按场景的指标评判（下方逐例列出），从不计为演练。不记录姓名：执行者为角色，病例编号必须匿名。</translation>
    </message>
    <message>
        <source>e.g. PPH-2025-014 (made up if left empty)</source>
        <translation>例如 PPH-2025-014（留空则自动生成）</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院区</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>病例编号（匿名）</translation>
    </message>
    <message>
        <source>Time (m:ss)</source>
        <translation>时间（分:秒）</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途径</translation>
    </message>
    <message>
        <source>By (role)</source>
        <translation>执行者（角色）</translation>
    </message>
    <message>
        <source>Add action</source>
        <translation>添加操作</translation>
    </message>
    <message>
        <source>Remove action</source>
        <translation>删除操作</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>A timeline in a drill script&apos;s shape: YAML, or CSV with the columns t, action, dose, unit, route, by</source>
        <translation>演练脚本格式的时间线：YAML，或含 t、action、dose、unit、route、by 列的 CSV</translation>
    </message>
    <message>
        <source>Keep case</source>
        <translation>保存病例</translation>
    </message>
    <message>
        <source>Indicators met</source>
        <translation>达标指标</translation>
    </message>
    <message>
        <source>Withdraw case…</source>
        <translation>撤销病例…</translation>
    </message>
    <message>
        <source>A case entered by mistake: kept in the record, counted nowhere; enter it again correctly</source>
        <translation>误录的病例：保留在记录中，不计入任何统计；请重新正确录入</translation>
    </message>
    <message>
        <source>Timeline (times from the start of the case)</source>
        <translation>时间线（自病例开始计时）</translation>
    </message>
    <message>
        <source>Real cases kept, each with its indicators met (hover over a row for each indicator). The Quality and PDCA pages count drills only, not real cases.</source>
        <translation>已保存的真实病例及其达标指标（将鼠标悬停在行上查看各指标）。质量和 PDCA 页面只统计演练，不含真实病例。</translation>
    </message>
    <message>
        <source>%1: did not apply</source>
        <translation>%1：不适用</translation>
    </message>
    <message>
        <source>%1: not done (target %2)</source>
        <translation>%1：未完成（目标 %2）</translation>
    </message>
    <message>
        <source>%1: %2 (target %3) — %4</source>
        <translation>%1：%2（目标 %3）— %4</translation>
    </message>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>No scenario with indicators was found.</source>
        <translation>未找到含指标的场景。</translation>
    </message>
    <message>
        <source>Import a real case&apos;s timeline</source>
        <translation>导入真实病例时间线</translation>
    </message>
    <message>
        <source>Timelines (*.yaml *.yml *.csv)</source>
        <translation>时间线 (*.yaml *.yml *.csv)</translation>
    </message>
    <message>
        <source>Kept as real case {ref} ({date}): {met} of {applies} indicators met.</source>
        <translation>已保存为真实病例 {ref}（{date}）：{applies} 项指标中 {met} 项达标。</translation>
    </message>
    <message>
        <source>Left out because they could name someone: {what}.</source>
        <translation>因可能识别身份而省略：{what}。</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>…另有 {n} 条</translation>
    </message>
    <message>
        <source>Nothing was kept:</source>
        <translation>未保存任何内容：</translation>
    </message>
    <message>
        <source>Withdraw case</source>
        <translation>撤销病例</translation>
    </message>
    <message>
        <source>Why is case {ref} withdrawn?</source>
        <translation>为何撤销病例 {ref}？</translation>
    </message>
    <message>
        <source>Nothing was changed:</source>
        <translation>未作任何更改：</translation>
    </message>
    <message>
        <source>Case {ref} withdrawn: kept in the record, counted nowhere.</source>
        <translation>病例 {ref} 已撤销：保留在记录中，不计入任何统计。</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>← Back to library</source>
        <translation>← 返回场景库</translation>
    </message>
    <message>
        <source>Expected action</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Window closed</source>
        <translation>时间窗关闭</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Entered at</source>
        <translation>进入时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>执行者</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>States</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>事件记录</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Script: {script} · weight {weight} kg · conditions: {conds} · version {version}</source>
        <translation>脚本：{script} · 体重 {weight} kg · 合并症：{conds} · 版本 {version}</translation>
    </message>
    <message>
        <source>HR (/min)</source>
        <translation>心率（次/分）</translation>
    </message>
    <message>
        <source>SBP (mmHg)</source>
        <translation>收缩压（mmHg）</translation>
    </message>
    <message>
        <source>SpO₂ (%)</source>
        <translation>SpO₂（%）</translation>
    </message>
    <message>
        <source>Blood loss (mL, right axis)</source>
        <translation>出血量（mL，右轴）</translation>
    </message>
    <message>
        <source>within target</source>
        <translation>在目标内</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Flags ({n})</source>
        <translation>警示（{n}）</translation>
    </message>
    <message>
        <source>Event log ({n})</source>
        <translation>事件记录（{n}）</translation>
    </message>
    <message>
        <source>Blood loss {loss} mL · last state entered at {entered} · run ended at {end}</source>
        <translation>出血量 {loss} mL · 最后状态进入于 {entered} · 运行结束于 {end}</translation>
    </message>
</context>
<context>
    <name>RunForm</name>
    <message>
        <source>Run from a script (full speed, no monitor)</source>
        <translation>按脚本运行（全速，无监护仪）</translation>
    </message>
    <message>
        <source>Choose script file…</source>
        <translation>选择脚本文件…</translation>
    </message>
    <message>
        <source>Run at full speed</source>
        <translation>全速运行</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>合并症</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>脚本</translation>
    </message>
    <message>
        <source>{min}–{max} kg for this scenario</source>
        <translation>本场景为 {min}–{max} kg</translation>
    </message>
    <message>
        <source>none offered by this scenario</source>
        <translation>本场景未提供</translation>
    </message>
    <message>
        <source>Custom (the conditions ticked below)</source>
        <translation>自定义（下方勾选的合并症）</translation>
    </message>
    <message>
        <source>No actions — untreated course</source>
        <translation>无操作——未治疗病程</translation>
    </message>
    <message>
        <source>Choose a drill script</source>
        <translation>选择演练脚本</translation>
    </message>
    <message>
        <source>Drill scripts (*.yaml *.yml);;All files (*)</source>
        <translation>演练脚本 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This script cannot be played until it is fixed.</source>
        <translation>修正此脚本之前无法运行。</translation>
    </message>
    <message>
        <source>Nothing is done: the patient follows the untreated course for {minutes} min.</source>
        <translation>不做任何处理：患者按未治疗病程发展 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>{n} timed actions by {people} participants over {minutes} min.</source>
        <translation>{people} 名参与者在 {minutes} 分钟内完成 {n} 项计时操作。</translation>
    </message>
    <message>
        <source>1 problem in this script</source>
        <translation>此脚本有 1 个问题</translation>
    </message>
    <message>
        <source>{n} problems in this script</source>
        <translation>此脚本有 {n} 个问题</translation>
    </message>
</context>
<context>
    <name>ScoringPanel</name>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Mark or override</source>
        <translation>评分或更改</translation>
    </message>
    <message>
        <source>Comments for the trainee and the record</source>
        <translation>给学员和存档的评语</translation>
    </message>
    <message>
        <source>Choose the examiner above</source>
        <translation>请在上方选择考官</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签署…</translation>
    </message>
    <message>
        <source>Amend…</source>
        <translation>修订…</translation>
    </message>
    <message>
        <source>Global rating</source>
        <translation>总体评价</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>Examiner</source>
        <translation>考官</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>核查表</translation>
    </message>
    <message>
        <source>Re-score</source>
        <translation>重新评分</translation>
    </message>
    <message>
        <source>Add examiner…</source>
        <translation>添加考官…</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>late</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>not observed</source>
        <translation>未观察到</translation>
    </message>
    <message>
        <source>awaiting the examiner</source>
        <translation>待考官评分</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>— not marked —</source>
        <translation>— 未评分 —</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>— not graded —</source>
        <translation>— 未评级 —</translation>
    </message>
    <message>
        <source>Override…</source>
        <translation>人工更改…</translation>
    </message>
    <message>
        <source>— no rating —</source>
        <translation>— 无评价 —</translation>
    </message>
    <message>
        <source>{status} (overridden)</source>
        <translation>{status}（已更改）</translation>
    </message>
    <message>
        <source>Overridden from {was}: {reason}</source>
        <translation>由“{was}”更改：{reason}</translation>
    </message>
    <message>
        <source>Change override…</source>
        <translation>修改人工更改…</translation>
    </message>
    <message>
        <source>{verdict} · {total} · cut score {cut} % — {reason}</source>
        <translation>{verdict} · {total} · 合格线 {cut} % — {reason}</translation>
    </message>
    <message>
        <source>Add examiner</source>
        <translation>添加考官</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Staff ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Marks not kept: {reason}</source>
        <translation>评分未保存：{reason}</translation>
    </message>
    <message>
        <source>This sheet is signed: its marks are read-only (Amend… corrects them, with a reason).</source>
        <translation>此评分表已签署：评分为只读（“修订…”可更正，需注明理由）。</translation>
    </message>
    <message>
        <source>Not in an archive: marks are not kept.</source>
        <translation>不在档案库中：评分不会保存。</translation>
    </message>
    <message>
        <source>Choose the examiner: marks are kept as their draft.</source>
        <translation>请选择考官：评分将保存为该考官的草稿。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Every mark is kept as {who}&apos;s draft.</source>
        <translation>每项评分均已保存为 {who} 的草稿。</translation>
    </message>
    <message>
        <source>global rating</source>
        <translation>总体评价</translation>
    </message>
    <message>
        <source>{block}: {elements}</source>
        <translation>{block}：{elements}</translation>
    </message>
    <message>
        <source>Not signed yet — still to rate: {list}</source>
        <translation>尚未签署——仍需评定：{list}</translation>
    </message>
    <message>
        <source>Sign the sheet</source>
        <translation>签署评分表</translation>
    </message>
    <message>
        <source>Sign this sheet as {who}? Once signed it can only be amended, with a reason.

{verdict}</source>
        <translation>以 {who} 的身份签署此评分表？签署后只能附理由进行修订。

{verdict}</translation>
    </message>
    <message>
        <source>This drill is not in an archive, so its sheet cannot be signed.</source>
        <translation>此演练不在档案库中，因此其评分表无法签署。</translation>
    </message>
    <message>
        <source>Choose the examiner who signs (one of the drill&apos;s, or add one).</source>
        <translation>请选择签署的考官（本次演练的考官之一，或添加一位）。</translation>
    </message>
    <message>
        <source>Not signed: {reason}</source>
        <translation>未签署：{reason}</translation>
    </message>
    <message>
        <source>Signed by {who} at {when} · record {sha}</source>
        <translation>由 {who} 于 {when} 签署 · 记录 {sha}</translation>
    </message>
    <message>
        <source>Amended (version {v}): {why}</source>
        <translation>已修订（第 {v} 版）：{why}</translation>
    </message>
    <message>
        <source>Amend a signed sheet</source>
        <translation>修订已签署的评分表</translation>
    </message>
    <message>
        <source>Why does the signed sheet change? (The signed version is kept; the amendment is signed by you, with this reason.)</source>
        <translation>已签署的评分表为何更改？（已签署的版本将保留；修订由您签署并附此理由。）</translation>
    </message>
    <message>
        <source>An amendment needs a reason: say why the signed sheet changes.</source>
        <translation>修订须附理由：请说明已签署的评分表为何更改。</translation>
    </message>
    <message>
        <source>Sign amendment…</source>
        <translation>签署修订…</translation>
    </message>
    <message>
        <source>Amending the signed sheet: {why}</source>
        <translation>正在修订已签署的评分表：{why}</translation>
    </message>
</context>
<context>
    <name>SetupForm</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Staff ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Add participant</source>
        <translation>添加参与者</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>移除所选</translation>
    </message>
    <message>
        <source>Required roles: {}</source>
        <translation>必需角色：{}</translation>
    </message>
    <message>
        <source>{} – {} kg</source>
        <translation>{} – {} kg</translation>
    </message>
    <message>
        <source>Custom (the conditions ticked below)</source>
        <translation>自定义（下方勾选的合并症）</translation>
    </message>
    <message>
        <source>Formative</source>
        <translation>形成性</translation>
    </message>
    <message>
        <source>Summative</source>
        <translation>终结性</translation>
    </message>
    <message>
        <source>High-stakes</source>
        <translation>高利害</translation>
    </message>
    <message>
        <source>One examiner per line: name, staff ID (e.g. Dr Zhou, E01)</source>
        <translation>每行一位考官：姓名, 工号（例如：周医生, E01）</translation>
    </message>
    <message>
        <source>Find an examiner the archive knows…</source>
        <translation>查找档案库中已有的考官…</translation>
    </message>
    <message>
        <source>Continue to prebrief</source>
        <translation>继续进入演练前介绍</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Back to the scenario library; no drill is started</source>
        <translation>返回场景库；不会开始演练</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参与者</translation>
    </message>
    <message>
        <source>Patient weight</source>
        <translation>患者体重</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>合并症</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评价类型</translation>
    </message>
    <message>
        <source>Examiners</source>
        <translation>考官</translation>
    </message>
    <message>
        <source>Hospital (site)</source>
        <translation>医院（院区）</translation>
    </message>
    <message>
        <source>e.g. Obstetrics</source>
        <translation>例如：产科</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院区</translation>
    </message>
    <message>
        <source>Every participant needs a name.</source>
        <translation>每位参与者都需要填写姓名。</translation>
    </message>
    <message>
        <source>A staff ID is used twice.</source>
        <translation>有工号重复使用。</translation>
    </message>
    <message>
        <source>Required role not filled: {}</source>
        <translation>必需角色未分配：{}</translation>
    </message>
    <message>
        <source>Weight must be between {} and {} kg.</source>
        <translation>体重必须在 {} 至 {} kg 之间。</translation>
    </message>
    <message>
        <source>A summative or high-stakes drill needs at least one examiner.</source>
        <translation>终结性或高利害演练至少需要一位考官。</translation>
    </message>
    <message>
        <source>Cancel setup</source>
        <translation>取消设置</translation>
    </message>
    <message>
        <source>Leave the setup? The names you entered are not kept; no drill was started.</source>
        <translation>离开设置？已输入的姓名不会保留；尚未开始演练。</translation>
    </message>
</context>
<context>
    <name>StationsView</name>
    <message>
        <source>Score station…</source>
        <translation>考站评分…</translation>
    </message>
    <message>
        <source>Start station now</source>
        <translation>立即开始考站</translation>
    </message>
    <message>
        <source>End the reading time: the candidate starts the task</source>
        <translation>结束阅读时间：考生开始操作</translation>
    </message>
    <message>
        <source>Candidate finished</source>
        <translation>考生已完成</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>考生</translation>
    </message>
    <message>
        <source>Examiner</source>
        <translation>考官</translation>
    </message>
    <message>
        <source>Choose the candidate</source>
        <translation>请选择考生</translation>
    </message>
    <message>
        <source>Choose the examiner</source>
        <translation>请选择考官</translation>
    </message>
    <message>
        <source>Skills stations</source>
        <translation>技能考站</translation>
    </message>
    <message>
        <source>Choose a station, the candidate and the examiner, then press Score station… to start the station clock and mark.</source>
        <translation>请选择考站、考生和考官，然后点击“考站评分…”开始考站计时并评分。</translation>
    </message>
    <message>
        <source>Station time %1 · reading time %2</source>
        <translation>考站时间 %1 · 阅读时间 %2</translation>
    </message>
    <message>
        <source>Station time</source>
        <translation>考站时间</translation>
    </message>
    <message>
        <source>Score station</source>
        <translation>考站评分</translation>
    </message>
    <message>
        <source>Choose a station, a candidate and an examiner first.</source>
        <translation>请先选择考站、考生和考官。</translation>
    </message>
    <message>
        <source>Reading time</source>
        <translation>阅读时间</translation>
    </message>
    <message>
        <source>Time used</source>
        <translation>已用时间</translation>
    </message>
</context>
<context>
    <name>ThreatsPanel</name>
    <message>
        <source>equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>process</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>people</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>环境</translation>
    </message>
    <message>
        <source>communication</source>
        <translation>沟通</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>extreme</source>
        <translation>极高</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>What was found (e.g. the second oxytocin ampoule was missing from the PPH trolley)</source>
        <translation>发现的问题（例如：产后出血抢救车缺少第二支缩宫素）</translation>
    </message>
    <message>
        <source>1 rare … 5 almost certain</source>
        <translation>1 罕见 … 5 几乎肯定</translation>
    </message>
    <message>
        <source>1 negligible … 5 catastrophic</source>
        <translation>1 可忽略 … 5 灾难性</translation>
    </message>
    <message>
        <source>Root cause (why it could happen)</source>
        <translation>根本原因（为何会发生）</translation>
    </message>
    <message>
        <source>Record threat</source>
        <translation>记录威胁</translation>
    </message>
    <message>
        <source>Revise selected</source>
        <translation>修订所选</translation>
    </message>
    <message>
        <source>Threats are kept in the archive; a change is kept as a revision.</source>
        <translation>威胁保存在档案库中；修改以修订形式保存。</translation>
    </message>
    <message>
        <source>Likelihood</source>
        <translation>可能性</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Events · indicators</source>
        <translation>事件 · 指标</translation>
    </message>
    <message>
        <source>Threats could not be read: {reason}</source>
        <translation>无法读取安全威胁：{reason}</translation>
    </message>
    <message>
        <source>Record revision of #{n}</source>
        <translation>记录 #{n} 的修订</translation>
    </message>
    <message>
        <source>Not recorded: {reason}</source>
        <translation>未记录：{reason}</translation>
    </message>
    <message>
        <source>Threat #{n} recorded.</source>
        <translation>威胁 #{n} 已记录。</translation>
    </message>
</context>
<context>
    <name>TraineePortfolio</name>
    <message>
        <source>Trainee name or staff id</source>
        <translation>学员姓名或工号</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>The trainee&apos;s portfolio as a PDF for their file</source>
        <translation>将学员学习档案导出为 PDF，存入其个人档案</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>n</source>
        <translation>例数</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>达成</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Drills</source>
        <translation>演练次数</translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Indicator medians</source>
        <translation>指标中位数</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Indicators over time</source>
        <translation>指标随时间变化</translation>
    </message>
    <message>
        <source>One point per drill the indicator applied to, oldest first; green: met, red: missed, a red cross: not done; the dashed line is the target.</source>
        <translation>每个点为一次适用该指标的演练，按时间先后排列；绿色：达成，红色：未达成，红色叉：未完成；虚线为目标。</translation>
    </message>
    <message>
        <source>Critical items</source>
        <translation>关键项目</translation>
    </message>
    <message>
        <source>Each critical rubric item per drill as the examiner scored it (* not final: no signature yet); — not scored in that drill.</source>
        <translation>每次演练的各关键评分项目，按考官评分（* 尚未签署，非最终结果）；— 表示该次演练未评此项。</translation>
    </message>
    <message>
        <source>By scenario</source>
        <translation>按场景</translation>
    </message>
    <message>
        <source>%1 · staff id %2 · %3 · %4 drill(s)</source>
        <translation>%1 · 工号 %2 · %3 · %4 次演练</translation>
    </message>
    <message>
        <source>Drills at: %1</source>
        <translation>演练地点：%1</translation>
    </message>
    <message>
        <source>records merged: %1</source>
        <translation>已合并记录：%1</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院区</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Own score</source>
        <translation>个人得分</translation>
    </message>
    <message>
        <source>Team score</source>
        <translation>团队得分</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>%1 (imported)</source>
        <translation>%1（导入）</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>too few drills (n=%1)</source>
        <translation>演练次数过少（n=%1）</translation>
    </message>
    <message>
        <source>%1 (team)</source>
        <translation>%1（团队）</translation>
    </message>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>遗漏</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>Met, of the drills it was scored in</source>
        <translation>达标演练数 / 评分演练数</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要替换吗？</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>TraineeProgress</name>
    <message>
        <source>independent</source>
        <translation>独立完成</translation>
    </message>
    <message>
        <source>supervised</source>
        <translation>上级医师指导下</translation>
    </message>
    <message>
        <source>assisted</source>
        <translation>参与完成</translation>
    </message>
    <message>
        <source>Trainee name or staff id</source>
        <translation>学员姓名或工号</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>The trainee&apos;s progress against the programme as a PDF for their file</source>
        <translation>学员对照培训方案的进度，导出为 PDF 存档</translation>
    </message>
    <message>
        <source>Choose a trainee and a programme.</source>
        <translation>请选择学员和培训方案。</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待签</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>尚缺</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>培训进度</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Credited by</source>
        <translation>计入依据</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>考核</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Latest result</source>
        <translation>最近结果</translation>
    </message>
    <message>
        <source>Retraining due</source>
        <translation>重新培训截止</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Add logbook entry…</source>
        <translation>添加病例登记…</translation>
    </message>
    <message>
        <source>A procedure the trainee did: it counts once the supervisor countersigns it</source>
        <translation>学员完成的一项操作：上级医师签字确认后计入</translation>
    </message>
    <message>
        <source>The shown trainee&apos;s entries, or everything one supervisor has to countersign</source>
        <translation>所示学员的登记，或某位上级医师待签字确认的全部登记</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>上级医师</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院区</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>病例编号（匿名）</translation>
    </message>
    <message>
        <source>Complications</source>
        <translation>并发症</translation>
    </message>
    <message>
        <source>Countersign…</source>
        <translation>签字确认…</translation>
    </message>
    <message>
        <source>Countersign the selected entry; a countersigned entry can never be changed</source>
        <translation>为所选登记签字确认；签字确认后的登记不可再更改</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>培训方案</translation>
    </message>
    <message>
        <source>Procedures by stage</source>
        <translation>各阶段操作要求</translation>
    </message>
    <message>
        <source>Countersigned logbook entries at each supervision level. Pending: logged, not yet countersigned; they count once a supervisor signs them.</source>
        <translation>各督导级别下已签字确认的病例登记。待签：已登记、尚未签字确认；上级医师签字后计入。</translation>
    </message>
    <message>
        <source>Simulation</source>
        <translation>模拟</translation>
    </message>
    <message>
        <source>Signed score sheets with a pass verdict: the trainee&apos;s own, or the team sheet of a drill they took part in.</source>
        <translation>判定为通过的已签署评分表：学员本人的评分表，或其参加的演练的团队评分表。</translation>
    </message>
    <message>
        <source>Exams</source>
        <translation>考核</translation>
    </message>
    <message>
        <source>Recorded results and signed OSCE sheets, oldest first; the latest decides. A failed exam sets a retraining date.</source>
        <translation>已记录的成绩和已签署的 OSCE 评分表，按时间先后排列；以最近一次为准。考核未通过将设定重新培训日期。</translation>
    </message>
    <message>
        <source>Pending countersignature:</source>
        <translation>待上级医师签字：</translation>
    </message>
    <message>
        <source>Logbook</source>
        <translation>病例登记</translation>
    </message>
    <message>
        <source>this trainee</source>
        <translation>该学员</translation>
    </message>
    <message>
        <source>awaiting %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <source>%1 · staff id %2 · %3, version %4</source>
        <translation>%1 · 工号 %2 · %3，版本 %4</translation>
    </message>
    <message>
        <source>Procedures: %1 of %2 requirements not met (%3 cases missing)</source>
        <translation>操作：%2 项要求中 %1 项未达到（尚缺 %3 例）</translation>
    </message>
    <message>
        <source>Simulation: %1 (%2 missing)</source>
        <translation>模拟：%1（尚缺 %2）</translation>
    </message>
    <message>
        <source>Exam: %1 (%2)</source>
        <translation>考核：%1（%2）</translation>
    </message>
    <message>
        <source>Cleared to work since %1</source>
        <translation>自 %1 起准予上岗</translation>
    </message>
    <message numerus="yes">
        <source>Not cleared: %n requirement(s) missing</source>
        <translation>
            <numerusform>尚未准予上岗：%n 项要求未完成</numerusform>
        </translation>
    </message>
    <message>
        <source>Not cleared to work</source>
        <translation>尚未准予上岗</translation>
    </message>
    <message>
        <source>Retraining due by %1</source>
        <translation>须于 %1 前完成重新培训</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>no result yet</source>
        <translation>尚无结果</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>result recorded, examiner %1</source>
        <translation>已记录成绩，考官 %1</translation>
    </message>
    <message>
        <source>result recorded</source>
        <translation>已记录成绩</translation>
    </message>
    <message>
        <source>a signed score sheet</source>
        <translation>已签署的评分表</translation>
    </message>
    <message>
        <source>%1 — %2 of %3 met</source>
        <translation>%1——%3 项中 %2 项达到</translation>
    </message>
    <message>
        <source>practical</source>
        <translation>实操考核</translation>
    </message>
    <message>
        <source>written</source>
        <translation>理论考试</translation>
    </message>
    <message>
        <source>Countersign</source>
        <translation>签字确认</translation>
    </message>
    <message>
        <source>Who is countersigning entry %1? Only the supervisor it names (%2) may.</source>
        <translation>由谁为登记 %1 签字确认？只有登记中指定的上级医师（%2）可以签字。</translation>
    </message>
    <message>
        <source>Countersign entry %1 (%2, %3, case %4) as %5?

A countersigned entry can never be changed or withdrawn.</source>
        <translation>以 %5 的身份为登记 %1（%2，%3，病例 %4）签字确认？

签字确认后的登记不可再更改或撤回。</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要替换吗？</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>VideoPanel</name>
    <message>
        <source>Attach video…</source>
        <translation>添加视频…</translation>
    </message>
    <message>
        <source>A room camera or phone recording of this drill (MP4 or MOV), lined up with the drill clock by one moment both show</source>
        <translation>本次演练的房间摄像头或手机录像（MP4 或 MOV），通过两者都出现的一个时刻与演练时钟对齐</translation>
    </message>
    <message>
        <source>No video is attached to this drill: “Attach video…” adds a room camera or phone recording.</source>
        <translation>本次演练尚未添加视频：点击“添加视频…”可加入房间摄像头或手机录像。</translation>
    </message>
    <message>
        <source>No video: Qt Multimedia is not installed (the PySide6-Addons package); the rest of the debrief works without it.</source>
        <translation>无视频：未安装 Qt Multimedia（PySide6-Addons 包）；复盘的其他功能不受影响。</translation>
    </message>
    <message>
        <source>Video: {name}, from {start} to {end} of the drill</source>
        <translation>视频：{name}，演练 {start} 至 {end}</translation>
    </message>
    <message>
        <source>The video file is not in this archive: the bundle this drill came in did not carry it (bundle export --with-media).</source>
        <translation>视频文件不在本档案库中：此演练所在的数据包未包含它（bundle export --with-media）。</translation>
    </message>
    <message>
        <source>The video file {file} is missing (simtool verify names it).</source>
        <translation>视频文件 {file} 缺失（simtool verify 会指出）。</translation>
    </message>
    <message>
        <source>No video: {reason}</source>
        <translation>无视频：{reason}</translation>
    </message>
    <message>
        <source>Qt cannot play this video (its codec may not be supported)</source>
        <translation>Qt 无法播放此视频（可能不支持其编码格式）</translation>
    </message>
    <message>
        <source>The video starts at {start} and ends at {end} of the drill.</source>
        <translation>视频在演练的 {start} 开始、{end} 结束。</translation>
    </message>
</context>
<context>
    <name>VitalsChart</name>
    <message>
        <source>Time since start (min)</source>
        <translation>开始后时间（分钟）</translation>
    </message>
    <message>
        <source>HR · SBP · SpO₂</source>
        <translation>心率 · 收缩压 · SpO₂</translation>
    </message>
    <message>
        <source>Blood loss (mL)</source>
        <translation>出血量（mL）</translation>
    </message>
    <message>
        <source>No vitals recorded</source>
        <translation>无生命体征记录</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>A file has problems, so this could not be done:</source>
        <translation>文件存在问题，因此无法完成此操作：</translation>
    </message>
    <message>
        <source>Could not read or write {file}: {reason}</source>
        <translation>无法读取或写入 {file}：{reason}</translation>
    </message>
    <message>
        <source>a file</source>
        <translation>某个文件</translation>
    </message>
    <message>
        <source>Something went wrong inside simtool, and the last action did not finish. Your files are unchanged; you can carry on.</source>
        <translation>simtool 内部出错，上一操作未能完成。你的文件没有改动，可以继续使用。</translation>
    </message>
</context>
<context>
    <name>details</name>
    <message>
        <source>(optional)</source>
        <translation>（可选）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <source>{default} kg (adjustable {min}–{max} kg)</source>
        <translation>{default} kg（可调 {min}–{max} kg）</translation>
    </message>
    <message>
        <source>Conditions you can add</source>
        <translation>可添加的合并症</translation>
    </message>
    <message>
        <source>no added conditions</source>
        <translation>无附加合并症</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>States</source>
        <translation>状态数</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>预期操作</translation>
    </message>
    <message>
        <source>{file} · id {id} · version {version}</source>
        <translation>{file} · 编号 {id} · 版本 {version}</translation>
    </message>
    <message>
        <source>Learning objectives</source>
        <translation>学习目标</translation>
    </message>
    <message>
        <source>Drill</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Briefing read to the team</source>
        <translation>向团队宣读的简介</translation>
    </message>
    <message>
        <source>{n} actions shared by every scenario, so the same intervention has the same id in every drill and drills can be compared across scenarios.</source>
        <translation>所有场景共用 {n} 项操作，因此同一干预在每次演练中编号相同，不同场景的演练可以相互比较。</translation>
    </message>
    <message>
        <source>Action catalogue</source>
        <translation>操作目录</translation>
    </message>
    <message>
        <source>Actions by category</source>
        <translation>按类别分列的操作</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>late</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>遗漏</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>due</source>
        <translation>待完成</translation>
    </message>
    <message>
        <source>Stabilised</source>
        <translation>病情稳定</translation>
    </message>
    <message>
        <source>Deteriorated</source>
        <translation>病情恶化</translation>
    </message>
    <message>
        <source>Patient died</source>
        <translation>患者死亡</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>已交接</translation>
    </message>
    <message>
        <source>Ended in a final state</source>
        <translation>在终末状态结束</translation>
    </message>
    <message>
        <source>Not resolved when the drill ended</source>
        <translation>演练结束时尚未解决</translation>
    </message>
    <message>
        <source>Asthma</source>
        <translation>哮喘</translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <source>Pre-eclampsia</source>
        <translation>子痫前期</translation>
    </message>
    <message>
        <source>Anticoagulated</source>
        <translation>抗凝治疗中</translation>
    </message>
    <message>
        <source>Cardiac disease</source>
        <translation>心脏病</translation>
    </message>
    <message>
        <source>Glaucoma</source>
        <translation>青光眼</translation>
    </message>
    <message>
        <source>Uterotonics</source>
        <translation>宫缩剂</translation>
    </message>
    <message>
        <source>Haemostatics</source>
        <translation>止血药</translation>
    </message>
    <message>
        <source>Fluids</source>
        <translation>液体</translation>
    </message>
    <message>
        <source>Blood products</source>
        <translation>血制品</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Communication</source>
        <translation>沟通</translation>
    </message>
    <message>
        <source>Airway and breathing</source>
        <translation>气道与呼吸</translation>
    </message>
    <message>
        <source>Other drugs</source>
        <translation>其他药物</translation>
    </message>
    <message>
        <source>Resuscitation</source>
        <translation>复苏</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>评估</translation>
    </message>
</context>
<context>
    <name>eventlog</name>
    <message>
        <source>contraindicated</source>
        <translation>禁忌</translation>
    </message>
    <message>
        <source>single dose over the limit</source>
        <translation>单次剂量超限</translation>
    </message>
    <message>
        <source>total dose over the limit</source>
        <translation>累计剂量超限</translation>
    </message>
    <message>
        <source>too soon after the last dose</source>
        <translation>距上次给药间隔过短</translation>
    </message>
    <message>
        <source>too many doses</source>
        <translation>给药次数过多</translation>
    </message>
    <message>
        <source>outside its time window</source>
        <translation>超出时间窗</translation>
    </message>
    <message>
        <source>dose outside the usual range</source>
        <translation>剂量超出常用范围</translation>
    </message>
    <message>
        <source>unusual route</source>
        <translation>给药途径不常用</translation>
    </message>
    <message>
        <source>to be avoided in this scenario</source>
        <translation>本场景中应避免</translation>
    </message>
    <message>
        <source>not its indication here</source>
        <translation>此处不符合适应证</translation>
    </message>
    <message>
        <source>together with similar drugs over the limit</source>
        <translation>与同类药物合计超过上限</translation>
    </message>
    <message>
        <source>volume over the limit</source>
        <translation>容量超过上限</translation>
    </message>
    <message>
        <source>given too early</source>
        <translation>给药过早</translation>
    </message>
    <message>
        <source>start of the drill</source>
        <translation>演练开始</translation>
    </message>
    <message>
        <source>condition met</source>
        <translation>条件满足</translation>
    </message>
    <message>
        <source>time limit in the previous state</source>
        <translation>上一状态超时</translation>
    </message>
    <message>
        <source>after {action}</source>
        <translation>{action}之后</translation>
    </message>
    <message>
        <source>moved by the instructor</source>
        <translation>由导师切换</translation>
    </message>
    <message>
        <source>Drill started in “{state}”</source>
        <translation>演练从“{state}”开始</translation>
    </message>
    <message>
        <source>Marker: {marker}</source>
        <translation>标记：{marker}</translation>
    </message>
    <message>
        <source>State → {state}</source>
        <translation>状态 → {state}</translation>
    </message>
    <message>
        <source>⚑ Flag on {action}</source>
        <translation>⚑ 警示：{action}</translation>
    </message>
    <message>
        <source>Instructor moved to “{state}”</source>
        <translation>导师切换至“{state}”</translation>
    </message>
    <message>
        <source>Withdrawn: {action}</source>
        <translation>已撤回：{action}</translation>
    </message>
    <message>
        <source>Corrected: {action}</source>
        <translation>已更正：{action}</translation>
    </message>
    <message>
        <source>Flag withdrawn on {action}</source>
        <translation>已撤销对 {action} 的警示</translation>
    </message>
    <message>
        <source>Lab results (sample of {time})</source>
        <translation>检验结果（{time}送检）</translation>
    </message>
    <message>
        <source>Blood-loss drape shown</source>
        <translation>已显示失血计量</translation>
    </message>
    <message>
        <source>Blood-loss drape hidden</source>
        <translation>已隐藏失血计量</translation>
    </message>
    <message>
        <source>Monitor blanked</source>
        <translation>监护仪黑屏</translation>
    </message>
    <message>
        <source>Monitor shown again</source>
        <translation>监护仪恢复显示</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <source>Drill ended</source>
        <translation>演练结束</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>withdrew event #{ref}</source>
        <translation>撤回了事件 #{ref}</translation>
    </message>
    <message>
        <source>{rule} no longer applies after a correction</source>
        <translation>更正后 {rule} 不再适用</translation>
    </message>
    <message>
        <source>by {who}</source>
        <translation>执行者 {who}</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>时间 {time}</translation>
    </message>
    <message>
        <source>event #{ref} corrected: {changes}</source>
        <translation>事件 #{ref} 已更正：{changes}</translation>
    </message>
</context>
<context>
    <name>upgrade</name>
    <message>
        <source>Upgrading the archive: computing the indicator results of {n} drills, once. Please wait…</source>
        <translation>正在升级档案库：一次性计算 {n} 次演练的指标结果，请稍候…</translation>
    </message>
    <message>
        <source>Upgrading the archive: summing the indicator results of {n} scenario months, once. Please wait…</source>
        <translation>正在升级档案库：汇总 {n} 个场景月份的指标结果（仅此一次）。请稍候…</translation>
    </message>
    <message>
        <source>Upgrading the archive. Please wait…</source>
        <translation>正在升级档案库，请稍候…</translation>
    </message>
</context>
</TS>
